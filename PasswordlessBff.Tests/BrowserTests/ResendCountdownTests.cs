using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using Addresses = PasswordlessBff.Tests.Infrastructure.Addresses;

namespace PasswordlessBff.Tests.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class ResendCountdownTests(ShortResendBrowserHost host, ITestOutputHelper output)
    : BrowserTest(host, output), IClassFixture<ShortResendBrowserHost>
{
    [Fact]
    public Task TheResendButtonCountsDownThenSendsANewEmail() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync();
        var email = Addresses.Unique("resend");
        await RequestEmailAsync(page, email);
        var resend = page.Locator("#resend");

        await Expect(resend).ToBeDisabledAsync();
        await Expect(resend).ToHaveTextAsync(new Regex(@"^Resend in \d+ s$"));

        await Expect(resend).ToBeEnabledAsync();
        await Expect(resend).ToHaveTextAsync("Resend email");
        await resend.ClickAsync();

        await Expect(page.Locator("#status")).ToContainTextAsync("We sent a new email");
        await Expect(resend).ToBeDisabledAsync();
        await Host.WaitForMailAsync(email, nth: 2);

        await page.GetByLabel("6-digit code").PressSequentiallyAsync(await CodeFromMailAsync(email, nth: 2));
        await ExpectSignedInAsync(page, email);
    });
}
