using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using Addresses = PasswordlessBff.Tests.Infrastructure.Addresses;

namespace PasswordlessBff.Tests.BrowserTests;

// Same-browser enforcement off: a link opened on another device shows a confirmation page first.
public sealed class NoSameBrowserHost() : BrowserHost(new Dictionary<string, string?> { ["Passwordless:EnforceSameBrowser"] = "false" });

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
}
