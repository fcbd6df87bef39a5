using System.Net;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public sealed class OtpOnly : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Passwordless:Type"] = "Otp" };
}

public sealed class LinkOnly : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Passwordless:Type"] = "Link", ["Passwordless:ExpiresIn"] = "600",
    };
}

public abstract class OtpOnlyTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task OtpModeEmailsOnlyACodeAndTheCodeSignsIn()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        Assert.Equal("OTP", sent.PasswordlessType);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        Assert.Null(mail.Link);
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }
}

public abstract class LinkOnlyTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task LinkModeEmailsOnlyALinkWithTheConfiguredExpiry()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        Assert.Equal("LINK", sent.PasswordlessType);
        Assert.Equal(600, sent.ExpiresIn);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        Assert.Null(mail.Code);
        Assert.Contains("10 minutes", mail.Message.TextBody, StringComparison.Ordinal);
        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), "/");
    }
}

public sealed class OtpOnlyTestsOnSqlite(Bff<SqliteStore, OtpOnly> factory) : OtpOnlyTests<Bff<SqliteStore, OtpOnly>>(factory);
public sealed class OtpOnlyTestsOnRedis(Bff<RedisStore, OtpOnly> factory) : OtpOnlyTests<Bff<RedisStore, OtpOnly>>(factory);

public sealed class OtpOnlyTestsOnRedisCluster(Bff<RedisClusterStore, OtpOnly> factory) : OtpOnlyTests<Bff<RedisClusterStore, OtpOnly>>(factory);
public sealed class LinkOnlyTestsOnSqlite(Bff<SqliteStore, LinkOnly> factory) : LinkOnlyTests<Bff<SqliteStore, LinkOnly>>(factory);
public sealed class LinkOnlyTestsOnRedis(Bff<RedisStore, LinkOnly> factory) : LinkOnlyTests<Bff<RedisStore, LinkOnly>>(factory);

public sealed class LinkOnlyTestsOnRedisCluster(Bff<RedisClusterStore, LinkOnly> factory) : LinkOnlyTests<Bff<RedisClusterStore, LinkOnly>>(factory);
