using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Policy;

public sealed class PolicyStartupTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Theory]
    [InlineData("Policy:Hook:Url", "/hooks/signin", "Policy__Hook__Url")]
    [InlineData("Policy:Hook:Url", "ftp://hooks.example.com/signin", "Policy__Hook__Url")]
    [InlineData("Policy:Hook:Url", "http://hooks.example.com/signin", "Policy__Hook__Url")]
    [InlineData("Policy:Hook:Secret", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "Policy__Hook__Secret")]
    [InlineData("Policy:Hook:Secret", "whsec_not-base64!", "Policy__Hook__Secret")]
    [InlineData("Policy:Hook:Secret", "whsec_c2hvcnQ=", "Policy__Hook__Secret")]
    [InlineData("Policy:Hook:TimeoutMilliseconds", "99", "Policy__Hook__TimeoutMilliseconds")]
    [InlineData("Policy:Hook:TimeoutMilliseconds", "10001", "Policy__Hook__TimeoutMilliseconds")]
    public async Task ABadHookSettingStopsStartUpNamingIt(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Policy:Hook:Url"] = "https://hooks.example.com/signin",
            ["Policy:Hook:Secret"] = Secret,
            [key] = value,
        };
        var error = await StartupFailure.OfAsync(() => new BffFactory(settings));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Policy:Hook:Secret", Secret, "Policy__Hook__Url")]
    [InlineData("Policy:AllowedDomains:0", "*", "Policy__AllowedDomains__0")]
    [InlineData("Policy:AllowedDomains:0", "a*.example.com", "Policy__AllowedDomains__0")]
    [InlineData("Policy:BlockedDomains:1", "localhost", "Policy__BlockedDomains__1")]
    [InlineData("Policy:AllowedAddresses:0", "not an address", "Policy__AllowedAddresses__0")]
    [InlineData("Admin:ApiKeys:0", "too-short", "Admin__ApiKeys__0")]
    [InlineData("Session:UserIdKey", "c2hvcnQ=", "Session__UserIdKey")]
    public async Task ABadPolicyAdminOrUserIdSettingStopsStartUpNamingIt(string key, string value, string named)
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(new Dictionary<string, string?>
        {
            ["Policy:BlockedDomains:0"] = "example.org",
            [key] = value,
        }));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnHttpHookOnALoopbackHostStartsUp()
    {
        await using var factory = new BffFactory(new Dictionary<string, string?>
        {
            ["Policy:Hook:Url"] = "http://127.0.0.1:9/hooks/signin",
            ["Policy:Hook:Secret"] = Secret,
        });
        using var client = factory.CreateClient();
        Assert.True((await client.GetAsync("/healthz")).IsSuccessStatusCode);
    }
}
