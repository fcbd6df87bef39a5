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

        var resent = await browser.PostAsync("/api/auth/resend");
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

        await Expect.StatusAsync(await browser.PostAsync("/api/auth/resend"), HttpStatusCode.OK);
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
        await Expect.StatusAsync(await browser.PostAsync("/api/auth/resend"), HttpStatusCode.OK);
        var second = await LoginMail.ReceiveAsync(factory, email, nth: 2);

        factory.Time.Advance(TimeSpan.FromSeconds(100));
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(first.Code!), HttpStatusCode.BadRequest, "credential_expired");
        await Expect.StatusAsync(await browser.VerifyCodeAsync(second.Code!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ResendOfAnUnknownRequestIsAuthRequestInvalid()
    {
        using var browser = factory.NewBrowser();
        await Expect.ProblemAsync(await browser.PostAsync("/api/auth/resend", new { authRequestId = "nope" }), HttpStatusCode.BadRequest, "auth_request_invalid");
        await Expect.ProblemAsync(await browser.PostAsync("/api/auth/resend"), HttpStatusCode.BadRequest, "auth_request_invalid");
    }

    [Fact]
    public async Task ResendAfterSignInIsAuthRequestInvalid()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);

        await Expect.ProblemAsync(await browser.PostAsync("/api/auth/resend", new { authRequestId = sent.AuthRequestId }), HttpStatusCode.BadRequest, "auth_request_invalid");
    }
}

public sealed class ResendTestsOnSqlite(BffFactory factory) : ResendTests<BffFactory>(factory);
public sealed class ResendTestsOnRedis(RedisBffFactory factory) : ResendTests<RedisBffFactory>(factory);
