using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public abstract class CodeFlowTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task SendThenCodeSignsInAndSessionAnswers()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("ada");
        var sent = await browser.SendAsync(email, "/dashboard");
        Assert.Equal("LINK_OTP", sent.PasswordlessType);
        Assert.Equal(300, sent.ExpiresIn);
        Assert.Equal(30, sent.ResendAfter);

        var mail = await LoginMail.ReceiveAsync(factory, email);
        var verified = await browser.VerifyCodeAsync(mail.Code!);
        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        var session = (await verified.Content.ReadFromJsonAsync<SessionResponse>())!;
        Assert.Equal(email, session.Email);
        Assert.Equal("/dashboard", session.ReturnTo);
        Assert.Equal(12 * 3600, session.ExpiresIn);

        var me = await browser.GetAsync(SessionApi.MePath);
        await Expect.StatusAsync(me, HttpStatusCode.OK);
        Assert.Contains(email, await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var current = await browser.GetAsync(SessionApi.SessionPath);
        await Expect.StatusAsync(current, HttpStatusCode.OK);
    }

    [Fact]
    public async Task CodeWorksWithTheAuthRequestIdInTheBodyFromAnotherClient()
    {
        using var starter = factory.NewBrowser();
        using var webview = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await starter.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        await Expect.StatusAsync(await webview.VerifyCodeAsync(mail.Code!, sent.AuthRequestId), HttpStatusCode.OK);
    }

    [Fact]
    public async Task WrongCodeIsCredentialInvalid()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        await Expect.ProblemAsync(await browser.VerifyCodeAsync(Codes.Other(mail.Code!)), HttpStatusCode.BadRequest, "credential_invalid");
    }

    [Fact]
    public async Task VerifyFailsAfterFiveWrongCodesEvenWithTheRightOne()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        var wrong = Codes.Other(mail.Code!);

        for (var i = 1; i <= 4; i++)
        {
            await Expect.ProblemAsync(await browser.VerifyCodeAsync(wrong), HttpStatusCode.BadRequest, "credential_invalid");
        }
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(wrong), HttpStatusCode.TooManyRequests, "too_many_attempts");
        var locked = await browser.VerifyCodeAsync(mail.Code!);
        var problem = await Expect.ProblemAsync(locked, HttpStatusCode.TooManyRequests, "too_many_attempts");
        // Every 429 says when to try again (API.md): a new sign-in may start at once.
        Assert.Equal(1, problem.GetProperty("retryAfter").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(1), locked.Headers.RetryAfter?.Delta);
        await Expect.StatusAsync(await browser.OpenLinkAsync(mail.Link!), HttpStatusCode.SeeOther);
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    // SECURITY.md item 29: a check that fails at verify (the allowed origins changed since send) leaves the login usable.
    [Fact]
    public async Task AReturnToNoLongerAllowedFailsBeforeTheLoginIsConsumed()
    {
        await using var allowing = factory.CreateSibling(new Dictionary<string, string?> { ["Passwordless:AllowedOrigins:0"] = "https://app.example" });
        using var browser = new Browser(allowing);
        var email = Addresses.Unique();
        await browser.SendAsync(email, "https://app.example/orders");
        var mail = await LoginMail.ReceiveAsync(factory, email);

        using var sameBrowserOnAHostWithoutTheOrigin = new Browser(factory, browser.Cookies);
        var refused = await sameBrowserOnAHostWithoutTheOrigin.VerifyCodeAsync(mail.Code!);

        await Expect.ProblemAsync(refused, HttpStatusCode.BadRequest, "return_to_not_allowed");
        var verified = await browser.VerifyCodeAsync(mail.Code!);
        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        Assert.Equal("https://app.example/orders", (await verified.Content.ReadFromJsonAsync<SessionResponse>())!.ReturnTo);
    }

    [Fact]
    public async Task ACodeCompletesOnlyItsOwnLoginRequest()
    {
        using var first = factory.NewBrowser();
        using var second = factory.NewBrowser();
        var email = Addresses.Unique();
        var otherEmail = Addresses.Unique();
        await first.SendAsync(email);
        var secondLogin = await second.SendAsync(otherEmail);
        var firstMail = await LoginMail.ReceiveAsync(factory, email);

        await Expect.ProblemAsync(await second.VerifyCodeAsync(firstMail.Code!, secondLogin.AuthRequestId), HttpStatusCode.BadRequest, "credential_invalid");
        await Expect.StatusAsync(await first.VerifyCodeAsync(firstMail.Code!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ACodeWorksOnlyOnce()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(mail.Code!, sent.AuthRequestId), HttpStatusCode.BadRequest, "auth_request_invalid");
    }

    [Fact]
    public async Task CodeWithoutAnyLoginRequestIsAuthRequestInvalid()
    {
        using var browser = factory.NewBrowser();
        await Expect.ProblemAsync(await browser.VerifyCodeAsync("123456"), HttpStatusCode.BadRequest, "auth_request_invalid");
        await Expect.ProblemAsync(await browser.VerifyCodeAsync("123456", "unknown-request"), HttpStatusCode.BadRequest, "auth_request_invalid");
    }

    [Theory]
    [InlineData("{\"code\":\"12345\"}")]
    [InlineData("{\"code\":\"12a456\"}")]
    [InlineData("{\"code\":\"123456\",\"linkToken\":\"abc\"}")]
    [InlineData("{}")]
    [InlineData("{\"linkToken\":\"has spaces in it\"}")]
    public async Task MalformedVerifyBodiesAreValidationFailed(string body)
    {
        using var browser = factory.NewBrowser();
        var response = await browser.PostAsync(AuthApi.VerifyPath, null, configure: r => r.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await Expect.ProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task CodeIsAcceptedOneSecondBeforeExpiry()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        factory.Time.Advance(TimeSpan.FromSeconds(299));
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task CodeIsExpiredAtExpiry()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        factory.Time.Advance(TimeSpan.FromSeconds(300));
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(mail.Code!, sent.AuthRequestId), HttpStatusCode.BadRequest, "credential_expired");
    }
}

public sealed class CodeFlowTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : CodeFlowTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class CodeFlowTestsOnRedis(Bff<RedisStore, Defaults> factory) : CodeFlowTests<Bff<RedisStore, Defaults>>(factory);

public sealed class CodeFlowTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory) : CodeFlowTests<Bff<RedisClusterStore, Defaults>>(factory);
