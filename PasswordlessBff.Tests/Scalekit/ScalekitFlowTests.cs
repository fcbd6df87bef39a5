using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Scalekit;

public sealed class ScalekitFlowTests(ScalekitFactory factory) : IClassFixture<ScalekitFactory>
{
    private FakeScalekit Scalekit => factory.Scalekit;

    // What every provider does is SignInTests (run on Scalekit too); here, what only Scalekit's side shows.
    [Fact]
    public async Task SendHandsScalekitTheTemplateStateExpiryAndOurVerifyUrlAndTheCodeSignsIn()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("ada");
        var response = await browser.PostAsync(AuthApi.SendPath, new { email, returnTo = "/dashboard", template = "signup", state = "s-1" });
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        var sent = (await response.Content.ReadFromJsonAsync<SendResponse>())!;

        var mail = Scalekit.LastEmailTo(email);
        Assert.Equal(mail.AuthRequestId, sent.AuthRequestId);
        Assert.Equal("https://localhost/api/auth/verify", mail.Link!.GetLeftPart(UriPartial.Path));
        Assert.Equal("SIGNUP", mail.Template);
        Assert.Equal("s-1", mail.State);
        Assert.Equal(300, mail.ExpiresIn);
        Assert.Equal("LINK_OTP", sent.PasswordlessType);
        Assert.InRange(sent.ExpiresIn, 299, 300);

        var verified = await browser.VerifyCodeAsync(mail.Code);
        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        var session = (await verified.Content.ReadFromJsonAsync<SessionResponse>())!;
        Assert.Equal(email, session.Email);
        Assert.Equal("/dashboard", session.ReturnTo);
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    // SECURITY.md item 29 and issue 12 item 8: Scalekit's word on who signed in must match the login we started.
    [Fact]
    public async Task AVerifiedAddressOtherThanTheLoginsIsBrowserMismatchAndNoSession()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("mismatch");
        await browser.SendAsync(email);
        Scalekit.VerifiedEmailOverride = Addresses.Unique("someone-else");
        HttpResponseMessage verified;
        try
        {
            verified = await browser.VerifyCodeAsync(Scalekit.LastEmailTo(email).Code);
        }
        finally
        {
            Scalekit.VerifiedEmailOverride = null;
        }

        await Expect.ProblemAsync(verified, HttpStatusCode.BadRequest, "browser_mismatch");
        Assert.Null(browser.Cookie("__Host-pwl-session"));
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ScalekitVerifiedSpellingOfTheSameAddressSignsIn()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("spelling");
        await browser.SendAsync(email);
        Scalekit.VerifiedEmailOverride = email.ToUpperInvariant();
        HttpResponseMessage verified;
        try
        {
            verified = await browser.VerifyCodeAsync(Scalekit.LastEmailTo(email).Code);
        }
        finally
        {
            Scalekit.VerifiedEmailOverride = null;
        }

        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        Assert.Equal(email, (await verified.Content.ReadFromJsonAsync<SessionResponse>())!.Email);
    }

    [Fact]
    public async Task ResendBeforeResendAfterIsRateLimitedAndReachesNoScalekit()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("early");
        await browser.SendAsync(email);
        var resends = Scalekit.Calls("resend");

        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(resends, Scalekit.Calls("resend"));
    }

    [Fact]
    public async Task LinkWithoutBindingCookieNeverReachesScalekit()
    {
        using var starter = factory.NewBrowser();
        using var scanner = factory.NewBrowser();
        var email = Addresses.Unique("scan");
        await starter.SendAsync(email, "/after");
        var link = Scalekit.LastEmailTo(email).Link!;
        var verifies = Scalekit.Calls("verify");

        var opened = await scanner.OpenLinkAsync(link);

        Expect.RedirectTo(opened, "/?error=browser_mismatch");
        Assert.Equal(verifies, Scalekit.Calls("verify"));
        // Nothing was consumed: the real click still works.
        Expect.RedirectTo(await starter.OpenLinkAsync(link), "/after");
    }

    [Fact]
    public async Task ScalekitFailingOnSendIsUpstreamUnavailableAfterExactlyOneCall()
    {
        using var browser = factory.NewBrowser();
        var sends = Scalekit.Calls("send");
        Scalekit.FailSends = true;
        try
        {
            var response = await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique("down") });

            var problem = await Expect.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
            Assert.DoesNotContain("SECRET-UPSTREAM-TEXT", problem.GetRawText(), StringComparison.Ordinal);
            Assert.Equal(sends + 1, Scalekit.Calls("send"));
        }
        finally
        {
            Scalekit.FailSends = false;
        }
    }

    [Fact]
    public async Task ResendUnderANewIdKeepsReturnToAndMovesTheBinding()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("again");
        var first = await browser.SendAsync(email, "/kept");
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        Scalekit.NewIdOnResend = true;
        HttpResponseMessage resent;
        try
        {
            resent = await browser.PostAsync(AuthApi.ResendPath);
        }
        finally
        {
            Scalekit.NewIdOnResend = false;
        }
        await Expect.StatusAsync(resent, HttpStatusCode.OK);
        var second = (await resent.Content.ReadFromJsonAsync<SendResponse>())!;
        Assert.NotEqual(first.AuthRequestId, second.AuthRequestId);

        var verified = await browser.VerifyCodeAsync(Scalekit.LastEmailTo(email).Code);

        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        Assert.Equal("/kept", (await verified.Content.ReadFromJsonAsync<SessionResponse>())!.ReturnTo);
    }

    [Fact]
    public async Task ResendOfAnUnknownLoginSendsNothing()
    {
        using var browser = factory.NewBrowser();
        var resends = Scalekit.Calls("resend");

        var response = await browser.PostAsync(AuthApi.ResendPath, new { authRequestId = "pwl_not_ours" });

        await Expect.ProblemAsync(response, HttpStatusCode.BadRequest, "auth_request_invalid");
        Assert.Equal(resends, Scalekit.Calls("resend"));
    }
}
