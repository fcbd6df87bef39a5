using System.Net;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Http;

public sealed class SameBrowserOffFactory() : BffFactory(new Dictionary<string, string?> { ["Passwordless:EnforceSameBrowser"] = "false" });

// SECURITY.md items 19 and 23: a CSP on every HTML page, HSTS outside Development; logout deletes its own cookies by
// Set-Cookie, never with Clear-Site-Data (which reaches sibling sites on the same registrable domain).
public sealed class SecurityHeaderTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task SignInPageCarriesAContentSecurityPolicyAllowingOnlyItsOwnScriptsAndStyles()
    {
        using var browser = factory.NewBrowser();

        var page = await browser.GetAsync("/");

        await Expect.StatusAsync(page, HttpStatusCode.OK);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var policy = Directives(page);
        Assert.Equal("'none'", policy["default-src"]);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'self'", policy["style-src"]);
        Assert.Equal("'self'", policy["connect-src"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("'none'", policy["base-uri"]);
    }

    [Fact]
    public async Task HstsIsSentOverHttpsOutsideDevelopment()
    {
        // UseHsts leaves out localhost, so ask under a real host name.
        using var https = factory.CreateDefaultClient(new Uri("https://bff.example"));
        using var http = factory.CreateDefaultClient(new Uri("http://bff.example"));

        var secure = await https.GetAsync(new Uri("/healthz", UriKind.Relative));
        var plain = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.StartsWith("max-age=", secure.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task LogoutSendsNoClearSiteDataAndDeletesOnlyItsOwnCookies()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);

        var logout = await browser.PostAsync(SessionApi.LogoutPath);

        await Expect.StatusAsync(logout, HttpStatusCode.NoContent);
        // Clear-Site-Data: "cookies" would also wipe the cookies of sibling sites on the same registrable domain.
        Assert.False(logout.Headers.Contains("Clear-Site-Data"), "logout sent Clear-Site-Data");
        var deletion = SessionKit.SetCookie(logout, SessionKit.SessionCookieName);
        Assert.True(deletion.Expires < DateTimeOffset.UtcNow, $"session cookie not expired: {deletion}");
        Assert.Equal("/", deletion.Path.Value);
        Assert.Null(deletion.Domain.Value);
    }

    internal static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single()
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ', 2)[0], d => d.Split(' ', 2)[1]);
}

public sealed class ConfirmPageHeaderTests(SameBrowserOffFactory factory) : IClassFixture<SameBrowserOffFactory>
{
    [Fact]
    public async Task ConfirmPageCarriesAContentSecurityPolicyAndNoReferrer()
    {
        using var starter = factory.NewBrowser();
        using var other = factory.NewBrowser();
        var email = Addresses.Unique("confirm");
        await starter.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var page = await other.OpenLinkAsync(mail.Link!);

        await Expect.StatusAsync(page, HttpStatusCode.OK);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["no-referrer"], page.Headers.GetValues("Referrer-Policy"));
        var policy = SecurityHeaderTests.Directives(page);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'self'", policy["form-action"]);
    }

    [Fact]
    public async Task ConfirmPageIsNotCachedAndItsHtmlNeverHoldsTheLinkToken()
    {
        using var starter = factory.NewBrowser();
        using var other = factory.NewBrowser();
        var email = Addresses.Unique("confirm");
        await starter.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var page = await other.OpenLinkAsync(mail.Link!);

        await Expect.StatusAsync(page, HttpStatusCode.OK);
        Assert.True(page.Headers.CacheControl?.NoStore);
        // The page's script reads the token from the address bar; the markup is the same for every link.
        Assert.DoesNotContain(mail.LinkToken!, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class SameBrowserOffUiDisabledFactory() : BffFactory(new Dictionary<string, string?>
{
    ["Passwordless:EnforceSameBrowser"] = "false",
    ["Ui:Enabled"] = "false",
});

public sealed class ConfirmPageWithoutUiTests(SameBrowserOffUiDisabledFactory factory) : IClassFixture<SameBrowserOffUiDisabledFactory>
{
    [Fact]
    public async Task WithTheUiDisabledALinkStillGetsTheConfirmationPage()
    {
        using var starter = factory.NewBrowser();
        using var other = factory.NewBrowser();
        var email = Addresses.Unique("confirm");
        await starter.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var page = await other.OpenLinkAsync(mail.Link!);

        await Expect.StatusAsync(page, HttpStatusCode.OK);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("confirm-form", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
