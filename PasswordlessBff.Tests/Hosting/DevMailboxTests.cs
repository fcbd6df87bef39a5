using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Hosting;

public sealed class DevelopmentWithoutSmtpFactory : BffFactory
{
    public DevelopmentWithoutSmtpFactory() : base(Settings) => Environment = "Development";

    public static Dictionary<string, string?> Settings => new() { ["Email:Smtp:Host"] = "", ["Session:SigningKey"] = "", ["Email:From"] = "" };

    // The mailbox answers only loopback peers and TestServer has none: requests come from 127.0.0.1 unless a test says otherwise.
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        SimulatedPeer.Use(builder, IPAddress.Loopback);
    }
}

public sealed class DevMailboxTests(DevelopmentWithoutSmtpFactory factory) : IClassFixture<DevelopmentWithoutSmtpFactory>
{
    [Fact]
    public async Task InDevelopmentWithoutSmtpTheDevMailboxShowsTheEmailAndItsLinkSignsIn()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);

        // The page renders GET /dev/mailbox/messages in the browser (BrowserTests/DevMailboxPageTests checks what it shows).
        var page = await browser.GetAsync("/dev/mailbox");
        await Expect.StatusAsync(page, HttpStatusCode.OK);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        // Delivery is in the background: look again, a bounded number of times, until the mailbox lists it.
        string? text = null;
        for (var attempt = 0; attempt < 100 && text is null; attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 20);
            var messages = await browser.Http.GetFromJsonAsync<JsonElement>("/dev/mailbox/messages");
            text = messages.EnumerateArray().Where(m => m.GetProperty("to").GetString()!.Contains(email, StringComparison.Ordinal))
                .Select(m => m.GetProperty("text").GetString()).FirstOrDefault();
        }

        var link = System.Text.RegularExpressions.Regex.Match(text ?? "", "https://localhost/api/auth/verify\\?link_token=\\S+").Value;
        Expect.RedirectTo(await browser.GetAsync(link), "/");
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task DevMailboxHasAContentSecurityPolicyThatLetsTheSandboxedEmailShowItsStyles()
    {
        using var browser = factory.NewBrowser();

        var page = await browser.GetAsync("/dev/mailbox");

        var policy = Http.SecurityHeaderTests.Directives(page);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'self' 'unsafe-inline'", policy["style-src"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
    }
}

public sealed class ProductionHasNoDevMailboxTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task TheDevMailboxDoesNotExistOutsideDevelopment()
    {
        using var browser = factory.NewBrowser();
        await Expect.ProblemAsync(await browser.GetAsync("/dev/mailbox"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task TheSignInPageIsServedAtTheRoot()
    {
        using var browser = factory.NewBrowser();
        var page = await browser.GetAsync("/");
        await Expect.StatusAsync(page, HttpStatusCode.OK);
        Assert.Contains("id=\"send-form\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthAndReadinessAnswer()
    {
        using var browser = factory.NewBrowser();
        await Expect.StatusAsync(await browser.GetAsync("/healthz"), HttpStatusCode.OK);
        var ready = await browser.GetAsync("/readyz");
        await Expect.StatusAsync(ready, HttpStatusCode.OK);
        var checks = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("store").GetProperty("status").GetString());
        Assert.Equal("The SMTP server answers.", checks.GetProperty("email").GetProperty("description").GetString());
    }
}

public sealed class UiDisabledFactory() : BffFactory(new Dictionary<string, string?> { ["Ui:Enabled"] = "false" });

public sealed class UiDisabledTests(UiDisabledFactory factory) : IClassFixture<UiDisabledFactory>
{
    [Fact]
    public async Task WithTheUiDisabledTheRootIsNotServed()
    {
        using var browser = factory.NewBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/index.html")).StatusCode);
    }

    // The confirmation page of a magic link still works: its module and styles are served.
    [Fact]
    public async Task WithTheUiDisabledTheConfirmationPagesModulesAndStylesAreStillServed()
    {
        using var browser = factory.NewBrowser();
        await Expect.StatusAsync(await browser.GetAsync("/confirm.js"), HttpStatusCode.OK);
        await Expect.StatusAsync(await browser.GetAsync("/app.css"), HttpStatusCode.OK);
    }
}

public sealed class StaticFilesTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    // The dev mailbox's page and script are the mailbox's own routes, loopback and Development only.
    [Theory]
    [InlineData("/dev/mailbox.html")]
    [InlineData("/dev/mailbox.js")]
    public async Task TheDevMailboxFilesAreNotServedAsStaticFiles(string path)
    {
        using var browser = factory.NewBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(path)).StatusCode);
    }
}
