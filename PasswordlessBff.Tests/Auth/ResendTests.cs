using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public abstract class ResendTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task ResendEmailsANewCodeAndTheEarlierOneStaysValid()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var first = await LoginMail.ReceiveAsync(factory, email);
        factory.Time.Advance(TimeSpan.FromSeconds(30));

        var resent = await browser.PostAsync(AuthApi.ResendPath);
        await Expect.StatusAsync(resent, HttpStatusCode.OK);
        Assert.Equal(sent.AuthRequestId, (await resent.Content.ReadFromJsonAsync<SendResponse>())!.AuthRequestId);
        var second = await LoginMail.ReceiveAsync(factory, email, nth: 2);
        Assert.NotEqual(first.LinkToken, second.LinkToken);

        // A late first email still works.
        await Expect.StatusAsync(await browser.VerifyCodeAsync(first.Code!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ResendKeepsTheAttemptCounter()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        var first = await LoginMail.ReceiveAsync(factory, email);
        var wrong = Codes.Other(first.Code!);
        for (var i = 0; i < 3; i++)
        {
            await browser.VerifyCodeAsync(wrong);
        }
        factory.Time.Advance(TimeSpan.FromSeconds(30));

        await Expect.StatusAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.OK);
        var second = await LoginMail.ReceiveAsync(factory, email, nth: 2);
        var wrongForBoth = Enumerable.Range(0, 1_000_000).Select(n => n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
            .First(c => c != first.Code && c != second.Code);

        await Expect.ProblemAsync(await browser.VerifyCodeAsync(wrongForBoth), HttpStatusCode.BadRequest, "credential_invalid");
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(wrongForBoth), HttpStatusCode.TooManyRequests, "too_many_attempts");
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(second.Code!), HttpStatusCode.TooManyRequests, "too_many_attempts");
    }

    [Fact]
    public async Task ResendExtendsTheLoginButEachCodeKeepsItsOwnExpiry()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        var first = await LoginMail.ReceiveAsync(factory, email);
        factory.Time.Advance(TimeSpan.FromSeconds(200));
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.OK);
        var second = await LoginMail.ReceiveAsync(factory, email, nth: 2);

        factory.Time.Advance(TimeSpan.FromSeconds(100));
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(first.Code!), HttpStatusCode.BadRequest, "credential_expired");
        await Expect.StatusAsync(await browser.VerifyCodeAsync(second.Code!), HttpStatusCode.OK);
    }

    // SECURITY.md item 6: resendAfter holds on the server, so resends cannot multiply the live codes.
    [Fact]
    public async Task ResendBeforeResendAfterIsRateLimitedWithRetryAfter()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        factory.Time.Advance(TimeSpan.FromSeconds(10));

        var early = await browser.PostAsync(AuthApi.ResendPath);

        var problem = await Expect.ProblemAsync(early, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(sent.ResendAfter - 10, problem.GetProperty("retryAfter").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(sent.ResendAfter - 10), early.Headers.RetryAfter?.Delta);
        factory.Time.Advance(TimeSpan.FromSeconds(sent.ResendAfter - 10));
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.OK);
        await factory.Smtp.WaitForAsync(email, count: 2);
        Assert.Equal(2, factory.Smtp.CountFor(email));
    }

    [Fact]
    public async Task AGuessIsComparedWithTheTwoNewestCodesOnlyWhileEveryLinkStaysValid()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        // Received before the resends: emails may arrive in any order.
        var first = await LoginMail.ReceiveAsync(factory, email);
        for (var resend = 0; resend < 2; resend++)
        {
            factory.Time.Advance(TimeSpan.FromSeconds(31));
            await Expect.StatusAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.OK);
        }
        await factory.Smtp.WaitForAsync(email, count: 3);

        await Expect.ProblemAsync(await browser.VerifyCodeAsync(first.Code!), HttpStatusCode.BadRequest, "credential_invalid");
        Expect.RedirectTo(await browser.OpenLinkAsync(first.Link!), "/");
    }

    [Fact]
    public async Task ResendAfterSignInIsAuthRequestInvalid()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);

        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.ResendPath, new { authRequestId = sent.AuthRequestId }), HttpStatusCode.BadRequest, "auth_request_invalid");
    }
}

public sealed class ResendTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : ResendTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class ResendTestsOnRedis(Bff<RedisStore, Defaults> factory) : ResendTests<Bff<RedisStore, Defaults>>(factory);

public sealed class ResendTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory) : ResendTests<Bff<RedisClusterStore, Defaults>>(factory);
