using System.Net;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public sealed class OtpOnlyFactory() : BffFactory(new Dictionary<string, string?> { ["Passwordless:Type"] = "Otp" });
public sealed class OtpOnlyRedisFactory() : RedisBffFactory(new Dictionary<string, string?> { ["Passwordless:Type"] = "Otp" });

public sealed class LinkOnlyFactory() : BffFactory(new Dictionary<string, string?> { ["Passwordless:Type"] = "Link", ["Passwordless:ExpiresIn"] = "600" });
public sealed class LinkOnlyRedisFactory() : RedisBffFactory(new Dictionary<string, string?> { ["Passwordless:Type"] = "Link", ["Passwordless:ExpiresIn"] = "600" });

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

public sealed class OtpOnlyTestsOnSqlite(OtpOnlyFactory factory) : OtpOnlyTests<OtpOnlyFactory>(factory);
public sealed class OtpOnlyTestsOnRedis(OtpOnlyRedisFactory factory) : OtpOnlyTests<OtpOnlyRedisFactory>(factory);
public sealed class LinkOnlyTestsOnSqlite(LinkOnlyFactory factory) : LinkOnlyTests<LinkOnlyFactory>(factory);
public sealed class LinkOnlyTestsOnRedis(LinkOnlyRedisFactory factory) : LinkOnlyTests<LinkOnlyRedisFactory>(factory);
