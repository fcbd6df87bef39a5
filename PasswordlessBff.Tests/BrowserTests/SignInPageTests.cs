using System.Net;
using Microsoft.Playwright;
using PasswordlessBff.Auth;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using Addresses = PasswordlessBff.Tests.Infrastructure.Addresses;

namespace PasswordlessBff.Tests.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class SignInPageTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    [Fact]
    public Task TheLinkFromTheDevMailboxSignsInAndSignOutReturnsToTheForm() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync();
        var email = Addresses.Unique("ada");

        await page.GotoAsync("/");
        await Expect(page.GetByLabel("Email address")).ToBeFocusedAsync();
        await RequestEmailAsync(page, email);
        await Expect(page.GetByLabel("6-digit code")).ToBeFocusedAsync();

        await OpenLinkFromMailboxAsync(page, email);

        await ExpectSignedInAsync(page, email);
        Assert.Equal($"{Host.BaseUrl}/", page.Url);
        await Expect(page.Locator("#session-expires")).Not.ToBeEmptyAsync();
        Assert.Equal(200, await SessionStatusAsync(page.Context));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.Locator("#view-signin")).ToBeVisibleAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("You have signed out.");
        Assert.Equal(401, await SessionStatusAsync(page.Context));
    });

    [Fact]
    public Task ALinkOpenedInAnotherBrowserAsksForTheNumberAndTheCodeStillSignsInTheFirst() => InBrowserAsync(async () =>
    {
        var first = await NewPageAsync();
        var email = Addresses.Unique("grace");
        await RequestEmailAsync(first, email);

        var second = await NewPageAsync();
        await OpenLinkFromMailboxAsync(second, email);

        await Expect(second.Locator("#approve-asked")).ToContainTextAsync("asked to sign in");
        Assert.Equal(401, await SessionStatusAsync(second.Context));

        await first.GetByLabel("6-digit code").PressSequentiallyAsync(await CodeFromMailAsync(email));

        await ExpectSignedInAsync(first, email);
        Assert.Equal(401, await SessionStatusAsync(second.Context));
    });

    [Fact]
    public Task AnExpiredLinkOffersANewEmailThatSignsIn() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync();
        var email = Addresses.Unique("expired");
        await RequestEmailAsync(page, email);
        await Host.WaitForMailAsync(email);

        // Where the service sends a browser whose link has expired.
        await page.GotoAsync("/?error=credential_expired");

        await Expect(page.Locator("#error")).ToContainTextAsync("expired");
        var again = page.GetByRole(AriaRole.Button, new() { Name = $"Send a new email to {email}" });
        await again.ClickAsync();
        await Expect(page.Locator("#view-code")).ToBeVisibleAsync();
        Assert.Equal($"{Host.BaseUrl}/", page.Url);

        await page.GetByLabel("6-digit code").PressSequentiallyAsync(await CodeFromMailAsync(email, nth: 2));
        await ExpectSignedInAsync(page, email);
    });

    [Fact]
    public Task PastingTheWholeCodeSignsIn() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync();
        var email = Addresses.Unique("paste");
        await RequestEmailAsync(page, email);
        var code = await CodeFromMailAsync(email);

        // What a clipboard paste delivers: the code as a person copies it, grouped and with words around it.
        await page.GetByLabel("6-digit code").EvaluateAsync(
            """
            (input, text) => {
              const data = new DataTransfer();
              data.setData('text/plain', text);
              input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
            }
            """,
            $"Your code: {code[..3]} {code[3..]}");

        await ExpectSignedInAsync(page, email);
    });

    [Fact]
    public Task ACookielessScannerFetchOfTheLinkChangesNothingAndTheRealClickStillSignsIn() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync();
        var email = Addresses.Unique("scanned");
        await RequestEmailAsync(page, email);
        var link = await LinkFromMailAsync(email);

        using (var scanner = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }))
        {
            using var head = await scanner.SendAsync(new HttpRequestMessage(HttpMethod.Head, link));
            using var get = await scanner.GetAsync(link);
            await Infrastructure.Expect.ApprovalPageAsync(get);
        }

        await OpenLinkFromMailboxAsync(page, email);

        await ExpectSignedInAsync(page, email);
    });

    [Fact]
    public Task ASignInFromTheLinkInAnotherTabIsNoticedByTheWaitingTab() => InBrowserAsync(async () =>
    {
        var context = await NewContextAsync();
        var waiting = await context.NewPageAsync();
        var email = Addresses.Unique("tabs");
        await RequestEmailAsync(waiting, email);

        var other = await context.NewPageAsync();
        await OpenLinkFromMailboxAsync(other, email);
        await ExpectSignedInAsync(other, email);

        // Nobody touches the waiting tab: it finds the session by itself.
        await Expect(waiting.Locator("#view-signedin")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(waiting.Locator("#signed-in-email")).ToHaveTextAsync(email);

        await other.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(waiting.Locator("#view-signin")).ToBeVisibleAsync();
        await Expect(waiting.Locator("#error")).ToContainTextAsync("Sign in again");
    });

    [Fact]
    public Task ASignInNoTabAnnouncedIsFoundByPollingTheSession() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync();
        var email = Addresses.Unique("polled");
        await RequestEmailAsync(page, email);

        // The same browser signs in outside this page (a webview, a script): only polling can notice.
        var verify = await page.Context.APIRequest.PostAsync(AuthApi.VerifyPath, new()
        {
            Headers = new Dictionary<string, string> { ["X-CSRF"] = "1" },
            DataObject = new { code = await CodeFromMailAsync(email) },
        });
        Assert.Equal(200, verify.Status);

        await Expect(page.Locator("#view-signedin")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#status")).ToHaveTextAsync("You are signed in with the link from your email.");
    });

    [Fact]
    public Task EveryViewFitsA320PixelWideScreen() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync(width: 320, height: 640);
        var email = Addresses.Unique("narrow-screen");

        await page.GotoAsync("/");
        await Expect(page.Locator("#view-signin")).ToBeVisibleAsync();
        await ExpectNoHorizontalScrollAsync(page, "sign-in view");

        await RequestEmailAsync(page, email);
        await ExpectNoHorizontalScrollAsync(page, "code view");

        await page.GetByLabel("6-digit code").PressSequentiallyAsync(await CodeFromMailAsync(email));
        await ExpectSignedInAsync(page, email);
        await ExpectNoHorizontalScrollAsync(page, "signed-in view");

        await page.GotoAsync("/dev/mailbox");
        await ExpectNoHorizontalScrollAsync(page, "dev mailbox");
    });

    [Fact]
    public Task TheFormsWorkFromTheKeyboardAlone() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync();
        var email = Addresses.Unique("keys");

        await page.GotoAsync("/");
        await Expect(page.GetByLabel("Email address")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Email me a sign-in link" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByLabel("6-digit code")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("000000");
        await Expect(page.Locator("#error")).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("6-digit code")).ToBeFocusedAsync();
        await Expect(page.GetByLabel("6-digit code")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.Keyboard.TypeAsync(await CodeFromMailAsync(email));
        await ExpectSignedInAsync(page, email);
        await Expect(page.Locator("#signedin-heading")).ToBeFocusedAsync();
    });

    private static async Task ExpectNoHorizontalScrollAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"The {what} is {widths[0]} px wide in a {widths[1]} px window.");
    }
}
