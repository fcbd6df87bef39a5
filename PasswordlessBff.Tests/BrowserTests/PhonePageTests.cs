using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using Addresses = PasswordlessBff.Tests.Infrastructure.Addresses;

namespace PasswordlessBff.Tests.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class PhonePageTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    private const string InstagramOnAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Version/4.0 Chrome/126.0.0.0 Mobile Safari/537.36 Instagram 339.0.0.0 Android";

    [Fact]
    public Task AnInAppBrowserAt360PixelsLeadsWithTheCodeAndTheCodeSignsIn() => InBrowserAsync(async () =>
    {
        var page = await (await NewContextAsync(360, 740, InstagramOnAndroid)).NewPageAsync();
        var email = Addresses.Unique("instagram");

        await RequestEmailAsync(page, email);

        await Expect(page.Locator("#code-instructions")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Type the 6-digit code"));
        var code = page.GetByLabel("6-digit code");
        await Expect(code).ToBeFocusedAsync();
        await Expect(code).ToHaveAttributeAsync("autocomplete", "one-time-code");
        await Expect(code).ToHaveAttributeAsync("inputmode", "numeric");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 360"), "The page scrolls sideways at 360 px.");

        await code.PressSequentiallyAsync(await CodeFromMailAsync(email));
        await ExpectSignedInAsync(page, email);
    });

    [Fact]
    public Task APlainPhoneBrowserStillLeadsWithTheLink() => InBrowserAsync(async () =>
    {
        var page = await (await NewContextAsync(360, 740, ApprovalPageTests.IPhone)).NewPageAsync();

        await RequestEmailAsync(page, Addresses.Unique("safari"));

        await Expect(page.Locator("#code-instructions")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Click the link"));
    });
}
