using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using Addresses = PasswordlessBff.Tests.Infrastructure.Addresses;

namespace PasswordlessBff.Tests.BrowserTests;

// Same-browser enforcement off: a link opened on another device shows a confirmation page first.
public sealed class NoSameBrowserHost() : BrowserHost(new Dictionary<string, string?>
{
    ["Passwordless:EnforceSameBrowser"] = "false",
    ["Passwordless:AllowedOrigins:0"] = NoSameBrowserHost.AppOrigin,
})
{
    public const string AppOrigin = "https://app.example";
}

[Collection(SharedBrowser.Name)]
public sealed class ConfirmPageTests(NoSameBrowserHost host, ITestOutputHelper output)
    : BrowserTest(host, output), IClassFixture<NoSameBrowserHost>
{
    [Fact]
    public Task ALinkOpenedOnAnotherDeviceSignsInOnlyAfterTheButtonIsPressed() => InBrowserAsync(async () =>
    {
        var laptop = await NewPageAsync();
        var email = Addresses.Unique("confirm");
        await RequestEmailAsync(laptop, email);
        var link = await LinkFromMailAsync(email);

        var phone = await NewPageAsync(width: 360, height: 740);
        await phone.GotoAsync(link.PathAndQuery);
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Confirm sign-in" })).ToBeVisibleAsync();
        Assert.Equal(401, await SessionStatusAsync(phone.Context));

        await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ExpectSignedInAsync(phone, email);
    });

    [Fact]
    public Task AfterConfirmingALoginWhoseReturnToIsAnAllowedOriginLandsThere() => InBrowserAsync(async () =>
    {
        var laptop = await NewPageAsync();
        await laptop.GotoAsync("/");
        var email = Addresses.Unique("confirm-origin");
        // An SPA starts this login with an absolute returnTo (the built-in page only ever sends local paths).
        var sent = await laptop.EvaluateAsync<int>(
            """
            async ([email, returnTo]) => (await fetch('/api/auth/send', {
              method: 'POST',
              headers: { 'X-CSRF': '1', 'Content-Type': 'application/json' },
              body: JSON.stringify({ email, returnTo }),
            })).status
            """,
            new[] { email, NoSameBrowserHost.AppOrigin + "/orders" });
        Assert.Equal(200, sent);
        var link = await LinkFromMailAsync(email);

        var phone = await NewPageAsync(width: 360, height: 740);
        await phone.Context.RouteAsync(NoSameBrowserHost.AppOrigin + "/**", route => route.FulfillAsync(new() { ContentType = "text/html", Body = "<h1>The app</h1>" }));
        await phone.GotoAsync(link.PathAndQuery);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Polls the address, whatever load events a cross-origin navigation fires or has fired already.
        await Expect(phone).ToHaveURLAsync(NoSameBrowserHost.AppOrigin + "/orders");
        Assert.Equal(200, await SessionStatusAsync(phone.Context));
    });
}
