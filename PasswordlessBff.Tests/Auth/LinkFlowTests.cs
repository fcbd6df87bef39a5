using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public abstract class LinkFlowTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task LinkInTheSameBrowserSignsInAndRedirectsToReturnTo()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email, "/dashboard?tab=1");
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var landing = await browser.OpenLinkAsync(mail.Link!);
        Expect.RedirectTo(landing, "/dashboard?tab=1");
        Assert.Equal("no-referrer", landing.Headers.GetValues("Referrer-Policy").Single());
        Assert.Null(browser.Cookie(BrowserBinding.CookieName));
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task LinkInAnotherBrowserConsumesNothingAndOffersTheApproval()
    {
        using var browser = factory.NewBrowser();
        using var other = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        await Expect.ApprovalPageAsync(await other.OpenLinkAsync(mail.Link!));
        await Expect.ProblemAsync(await other.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(0, await FailedAttemptsAsync(sent.AuthRequestId));

        // The code in the first browser, and even the link there, still work.
        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), "/");
    }

    [Fact]
    public async Task ScannerHeadAndCookielessGetChangeNothingAndTheRealClickWorks()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        using var scanner = new HttpClient(factory.Server.CreateHandler()) { BaseAddress = Browser.BaseAddress };
        var head = await scanner.SendAsync(new HttpRequestMessage(HttpMethod.Head, mail.Link!.PathAndQuery));
        Assert.True(head.IsSuccessStatusCode);
        Assert.False(head.Headers.Contains("Set-Cookie"));
        var get = await scanner.GetAsync(mail.Link.PathAndQuery);
        await Expect.ApprovalPageAsync(get);
        Assert.Equal(0, await FailedAttemptsAsync(sent.AuthRequestId));

        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link), "/");
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ALinkWorksOnlyOnce()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        // A copy of the binding cookie taken before the click, replayed afterwards.
        using var copy = factory.NewBrowser();
        copy.Cookies.Add(Browser.BaseAddress, browser.Cookies.GetCookies(Browser.BaseAddress));
        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), "/");

        var again = await copy.PostAsync(AuthApi.VerifyPath, new { linkToken = mail.LinkToken, authRequestId = sent.AuthRequestId });
        await Expect.ProblemAsync(again, HttpStatusCode.BadRequest, "credential_invalid");
    }

    [Fact]
    public async Task SpaCanPostTheLinkTokenFromTheBrowserThatAsked()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email, "/after");
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var response = await browser.PostAsync(AuthApi.VerifyPath, new { linkToken = mail.LinkToken, authRequestId = sent.AuthRequestId });
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("/after", (await response.Content.ReadFromJsonAsync<SessionResponse>())!.ReturnTo);
    }

    // SECURITY.md item 7: the id is no secret (it travels in answers and logs of the asking app); the cookie is.
    [Fact]
    public async Task AnAuthRequestIdInTheBodyIsNoSubstituteForTheBindingCookie()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        using var other = factory.NewBrowser();
        await Expect.ProblemAsync(await other.PostAsync(AuthApi.VerifyPath, new { linkToken = mail.LinkToken }), HttpStatusCode.BadRequest, "browser_mismatch");
        var withId = await other.PostAsync(AuthApi.VerifyPath, new { linkToken = mail.LinkToken, authRequestId = sent.AuthRequestId });
        await Expect.ProblemAsync(withId, HttpStatusCode.BadRequest, "browser_mismatch");
        Assert.Null(other.Cookie(SessionOptions.DefaultCookieName));

        // Nothing was consumed: the browser that asked still signs in with the link.
        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), "/");
    }

    [Fact]
    public async Task ResendByIdFromAnotherBrowserDoesNotHandItTheBindingCookie()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        factory.Time.Advance(TimeSpan.FromSeconds(30));

        using var other = factory.NewBrowser();
        await Expect.StatusAsync(await other.PostAsync(AuthApi.ResendPath, new { authRequestId = sent.AuthRequestId }), HttpStatusCode.OK);
        Assert.Null(other.Cookie(BrowserBinding.CookieName));
        var mail = await LoginMail.ReceiveAsync(factory, email, nth: 2);

        await Expect.ApprovalPageAsync(await other.OpenLinkAsync(mail.Link!));
        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), "/");
    }

    // SECURITY.md item 29: a returnTo that a Location header cannot carry is made safe at send, not after the
    // login was consumed.
    [Fact]
    public async Task ANonAsciiReturnToIsPercentEncodedAndTheLinkLandsThere()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email, "/café?q=ü ber");
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var landing = await browser.OpenLinkAsync(mail.Link!);

        Expect.RedirectTo(landing, "/caf%C3%A9?q=%C3%BC%20ber");
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownOrMalformedLinkTokenLandsOnTheLoginPageWithCredentialInvalid()
    {
        using var browser = factory.NewBrowser();
        await browser.SendAsync(Addresses.Unique());
        Expect.RedirectTo(await browser.GetAsync(AuthApi.VerifyPath + "?link_token=unknown-token"), "/?error=credential_invalid");
        Expect.RedirectTo(await browser.GetAsync(AuthApi.VerifyPath), "/?error=credential_invalid");
        Expect.RedirectTo(await browser.GetAsync(AuthApi.VerifyPath + "?link_token=%3Cscript%3E"), "/?error=credential_invalid");
    }

    [Fact]
    public async Task LinkIsExpiredAtExpiryAndValidOneSecondBefore()
    {
        using var early = factory.NewBrowser();
        using var late = factory.NewBrowser();
        var earlyEmail = Addresses.Unique();
        var lateEmail = Addresses.Unique();
        await early.SendAsync(earlyEmail);
        await late.SendAsync(lateEmail);
        var earlyMail = await LoginMail.ReceiveAsync(factory, earlyEmail);
        var lateMail = await LoginMail.ReceiveAsync(factory, lateEmail);

        factory.Time.Advance(TimeSpan.FromSeconds(299));
        Expect.RedirectTo(await early.OpenLinkAsync(earlyMail.Link!), "/");
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        // The binding cookie has also run out by now; the login page says why in either case.
        var landing = await late.OpenLinkAsync(lateMail.Link!);
        Assert.Equal(HttpStatusCode.SeeOther, landing.StatusCode);
        Assert.StartsWith("/?error=", landing.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await Expect.ProblemAsync(await late.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    private async Task<long> FailedAttemptsAsync(string authRequestId) => (await factory.LoginAsync(authRequestId))!.FailedAttempts;
}

public sealed class NoSameBrowser : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Passwordless:EnforceSameBrowser"] = "false" };
}

public abstract class LinkWithoutSameBrowserEnforcementTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task GetShowsAnInertConfirmationPageAndOnlyThePostConsumesTheLink()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email, "/home");
        var mail = await LoginMail.ReceiveAsync(factory, email);

        using var phone = factory.NewBrowser();
        var page = await phone.OpenLinkAsync(mail.Link!);
        await Expect.StatusAsync(page, HttpStatusCode.OK);
        Assert.Contains("confirm-form", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        // Showing the page twice changed nothing.
        await Expect.StatusAsync(await phone.OpenLinkAsync(mail.Link!), HttpStatusCode.OK);
        await Expect.ProblemAsync(await phone.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");

        var confirmed = await phone.PostAsync(AuthApi.VerifyPath, new { linkToken = mail.LinkToken });
        await Expect.StatusAsync(confirmed, HttpStatusCode.OK);
        Assert.Equal("/home", (await confirmed.Content.ReadFromJsonAsync<SessionResponse>())!.ReturnTo);
        await Expect.StatusAsync(await phone.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    // SECURITY.md item 7: a browser with a pending login of its own is not signed in to someone else's account by
    // opening their link (login CSRF); it gets the confirmation page, and the link still works for its owner.
    [Fact]
    public async Task ABrowserHoldingAnotherLoginsCookieGetsTheConfirmationPageForALink()
    {
        using var attacker = factory.NewBrowser();
        var attackerEmail = Addresses.Unique("attacker");
        await attacker.SendAsync(attackerEmail);
        var attackerMail = await LoginMail.ReceiveAsync(factory, attackerEmail);
        using var victim = factory.NewBrowser();
        await victim.SendAsync(Addresses.Unique("victim"));

        var opened = await victim.OpenLinkAsync(attackerMail.Link!);

        await Expect.StatusAsync(opened, HttpStatusCode.OK);
        Assert.Contains("confirm-form", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(victim.Cookie(SessionOptions.DefaultCookieName));
        await Expect.ProblemAsync(await victim.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
        Expect.RedirectTo(await attacker.OpenLinkAsync(attackerMail.Link!), "/");
    }
}

public sealed class LinkFlowTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : LinkFlowTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class LinkFlowTestsOnRedis(Bff<RedisStore, Defaults> factory) : LinkFlowTests<Bff<RedisStore, Defaults>>(factory);

public sealed class LinkFlowTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory) : LinkFlowTests<Bff<RedisClusterStore, Defaults>>(factory);
public sealed class LinkWithoutSameBrowserEnforcementTestsOnSqlite(Bff<SqliteStore, NoSameBrowser> factory) : LinkWithoutSameBrowserEnforcementTests<Bff<SqliteStore, NoSameBrowser>>(factory);
public sealed class LinkWithoutSameBrowserEnforcementTestsOnRedis(Bff<RedisStore, NoSameBrowser> factory) : LinkWithoutSameBrowserEnforcementTests<Bff<RedisStore, NoSameBrowser>>(factory);

public sealed class LinkWithoutSameBrowserEnforcementTestsOnRedisCluster(Bff<RedisClusterStore, NoSameBrowser> factory)
    : LinkWithoutSameBrowserEnforcementTests<Bff<RedisClusterStore, NoSameBrowser>>(factory);
