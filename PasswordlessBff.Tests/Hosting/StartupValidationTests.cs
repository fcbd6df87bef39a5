using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Hosting;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Email:Smtp:Host", "Email__Smtp__Host")]
    [InlineData("Session:SigningKey", "Session__SigningKey")]
    [InlineData("Email:From", "Email__From")]
    public async Task OutsideDevelopmentAMissingSettingStopsStartUpNamingIt(string key, string named)
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(new Dictionary<string, string?> { [key] = "" }));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Passwordless:ExpiresIn", "3601", "Passwordless__ExpiresIn")]
    [InlineData("Passwordless:ExpiresIn", "59", "Passwordless__ExpiresIn")]
    [InlineData("Passwordless:PublicBaseUrl", "http://bff.example.com", "Passwordless__PublicBaseUrl")]
    [InlineData("Passwordless:LinkBaseUrl", "http://app.example.com", "Passwordless__LinkBaseUrl")]
    [InlineData("Passwordless:LinkBaseUrl", "https://app.example.com/?x=1", "Passwordless__LinkBaseUrl")]
    [InlineData("Mobile:Apple:AppIds:0", "com.example.app", "Mobile__Apple__AppIds")]
    [InlineData("Mobile:Android:Packages:0", "com.example.app", "Mobile__Android__Fingerprints")]
    [InlineData("Mobile:Android:Fingerprints:0", "AB:CD", "Mobile__Android__Fingerprints")]
    [InlineData("Session:SigningKey", "c2hvcnQ=", "Session__SigningKey")]
    [InlineData("Email:From", "not an address <", "Email__From")]
    [InlineData("Session:SigningKeys:0", "c2hvcnQ=", "Session__SigningKeys__0")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.example", "ForwardedHeaders__KnownProxies__0")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "ForwardedHeaders__KnownNetworks__0")]
    [InlineData("RateLimits:SendPerMinute", "0", "RateLimits__SendPerMinute")]
    [InlineData("RateLimits:VerifyPerMinute", "-1", "RateLimits__VerifyPerMinute")]
    [InlineData("RateLimits:PollPerMinute", "0", "RateLimits__PollPerMinute")]
    [InlineData("RateLimits:EmailsPerAddressPerMinute", "101", "RateLimits__EmailsPerAddressPerMinute")]
    [InlineData("Passwordless:EmailsPerAddressPerMinute", "2", "RateLimits__EmailsPerAddressPerMinute")]
    public async Task ABadSettingStopsStartUpNamingIt(string key, string value, string named)
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }
}
