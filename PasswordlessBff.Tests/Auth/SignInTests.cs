using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Scalekit;

namespace PasswordlessBff.Tests.Auth;

// What every provider must do the same way, built-in (on each store) or Scalekit: one body, one line per provider.
public abstract class SignInTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task TheCodeFromTheEmailSignsInAndTheSessionKeepsReturnTo()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("ada");
        var sent = await browser.SendAsync(email, "/dashboard");
        Assert.Equal("LINK_OTP", sent.PasswordlessType);
        Assert.InRange(sent.ExpiresIn, 299, 300);
        var mail = await factory.ReceiveMailAsync(email);

        var verified = await browser.VerifyCodeAsync(mail.Code!);

        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        var session = (await verified.Content.ReadFromJsonAsync<SessionResponse>())!;
        Assert.Equal(email, session.Email);
        Assert.Equal("/dashboard", session.ReturnTo);
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheLinkSignsInTheBrowserThatAskedAndDeletesTheBindingCookie()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("link");
        await browser.SendAsync(email, "/after");
        var mail = await factory.ReceiveMailAsync(email);

        var opened = await browser.OpenLinkAsync(mail.Link!);

        Expect.RedirectTo(opened, "/after");
        Assert.NotNull(browser.Cookie(SessionOptions.DefaultCookieName));
        Assert.Null(browser.Cookie(BrowserBinding.CookieName));
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ALinkCompletesOnlyTheLoginOfItsOwnBrowser()
    {
        using var first = factory.NewBrowser();
        using var second = factory.NewBrowser();
        var email = Addresses.Unique("mine");
        await first.SendAsync(email);
        await second.SendAsync(Addresses.Unique("theirs"));
        var mail = await factory.ReceiveMailAsync(email);

        await Expect.AnotherBrowsersAnswerAsync(await second.OpenLinkAsync(mail.Link!));
        Assert.Null(second.Cookie(SessionOptions.DefaultCookieName));
        await Expect.ProblemAsync(await second.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
        Expect.RedirectTo(await first.OpenLinkAsync(mail.Link!), "/");
    }

    [Fact]
    public async Task TheThirdEmailToOneAddressInAMinuteIsRateLimitedWithRetryAfter()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("busy");
        await browser.SendAsync(email);
        await browser.SendAsync(email);

        var third = await browser.PostAsync(AuthApi.SendPath, new { email });

        var problem = await Expect.ProblemAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = problem.GetProperty("retryAfter").GetInt32();
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture), third.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task FiveWrongCodesAreTooManyAttemptsEvenForTheRightCode()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("guess");
        await browser.SendAsync(email);
        var code = (await factory.ReceiveMailAsync(email)).Code!;
        var wrong = Codes.Other(code);

        for (var attempt = 1; attempt < 5; attempt++)
        {
            await Expect.ProblemAsync(await browser.VerifyCodeAsync(wrong), HttpStatusCode.BadRequest, "credential_invalid");
        }
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(wrong), HttpStatusCode.TooManyRequests, "too_many_attempts");
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(code), HttpStatusCode.TooManyRequests, "too_many_attempts");
    }

    [Fact]
    public async Task AnExpiredCodeIsCredentialExpired()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("late");
        var sent = await browser.SendAsync(email);
        var mail = await factory.ReceiveMailAsync(email);
        factory.Time.Advance(TimeSpan.FromSeconds(301));

        var late = await browser.VerifyCodeAsync(mail.Code!, sent.AuthRequestId);

        await Expect.ProblemAsync(late, HttpStatusCode.BadRequest, "credential_expired");
    }

    [Fact]
    public async Task AResendSoonerThanResendAfterIsRateLimited()
    {
        using var browser = factory.NewBrowser();
        await browser.SendAsync(Addresses.Unique("early"));

        var early = await browser.PostAsync(AuthApi.ResendPath);

        await Expect.ProblemAsync(early, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(early.Headers.RetryAfter);
    }

    [Fact]
    public async Task AResendOfAnUnknownLoginIsAuthRequestInvalid()
    {
        using var browser = factory.NewBrowser();
        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.ResendPath, new { authRequestId = "nope" }), HttpStatusCode.BadRequest, "auth_request_invalid");
        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.BadRequest, "auth_request_invalid");
    }
}

public sealed class SignInTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : SignInTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class SignInTestsOnRedis(Bff<RedisStore, Defaults> factory) : SignInTests<Bff<RedisStore, Defaults>>(factory);

public sealed class SignInTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory) : SignInTests<Bff<RedisClusterStore, Defaults>>(factory);
public sealed class SignInTestsOnScalekit(ScalekitFactory factory) : SignInTests<ScalekitFactory>(factory);
