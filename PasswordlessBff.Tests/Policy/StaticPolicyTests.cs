using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Policy;

// Only example.com, the subdomains of partner.test and one guest may sign in; blocked.example.com never.
public sealed class StaticLists : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Policy:AllowedDomains:0"] = "Example.COM",
        ["Policy:AllowedDomains:1"] = "*.partner.test",
        ["Policy:AllowedAddresses:0"] = "Guest@Outside.test",
        ["Policy:BlockedDomains:0"] = "blocked.example.com",
    };
}

public abstract class StaticPolicyTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Theory]
    [InlineData("someone@outside.test")]
    [InlineData("someone@partner.test")]
    [InlineData("someone@blocked.example.com")]
    [InlineData("someone@example.com.evil.test")]
    public async Task ARefusedAddressGetsTheAnswerAndCookiesOfAnAllowedOneAndNoEmail(string refused)
    {
        using var refusedBrowser = factory.NewBrowser();
        using var allowedBrowser = factory.NewBrowser();
        var allowed = Addresses.Unique("allowed");

        var refusedAnswer = await refusedBrowser.PostAsync(AuthApi.SendPath, new { email = refused });
        var allowedAnswer = await allowedBrowser.PostAsync(AuthApi.SendPath, new { email = allowed });

        await PolicyKit.AnswersAlikeAsync(allowedAnswer, refusedAnswer);
        await factory.ReceiveMailAsync(allowed);
        await PolicyKit.WaitForSendRefusalAsync(factory, refused);
        Assert.Equal(0, factory.Smtp.CountFor(refused));
    }

    [Theory]
    [InlineData("guest@outside.test")]
    [InlineData("GUEST@outside.TEST")]
    [InlineData("ada@eu.partner.test")]
    [InlineData("ada@example.com")]
    public async Task ListedAddressesAndDomainsAreMailedAndSignIn(string address)
    {
        using var browser = factory.NewBrowser();
        EmailAddress.TryCanonicalize(address, out var canonical);
        var before = factory.Smtp.CountFor(canonical);

        await browser.SendAsync(address);

        var mail = await factory.ReceiveMailAsync(canonical, before + 1);
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ARefusedAddressIsThrottledLikeAnAllowedOne()
    {
        using var browser = factory.NewBrowser();
        var refused = $"throttled-{Guid.NewGuid():N}@outside.test";
        await browser.SendAsync(refused);
        await browser.SendAsync(refused);

        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email = refused }), HttpStatusCode.TooManyRequests, "rate_limited");
    }
}

public sealed class StaticPolicyTestsOnSqlite(Bff<SqliteStore, StaticLists> factory) : StaticPolicyTests<Bff<SqliteStore, StaticLists>>(factory);
public sealed class StaticPolicyTestsOnRedis(Bff<RedisStore, StaticLists> factory) : StaticPolicyTests<Bff<RedisStore, StaticLists>>(factory);

public sealed class StaticPolicyTestsOnRedisCluster(Bff<RedisClusterStore, StaticLists> factory)
    : StaticPolicyTests<Bff<RedisClusterStore, StaticLists>>(factory);
