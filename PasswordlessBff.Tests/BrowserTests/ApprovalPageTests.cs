using System.Net;
using Microsoft.Playwright;
using PasswordlessBff.Auth;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using Addresses = PasswordlessBff.Tests.Infrastructure.Addresses;

namespace PasswordlessBff.Tests.BrowserTests;

// Two browsers: a laptop asks, a phone opens the link (a phone's viewport and user agent).
[Collection(SharedBrowser.Name)]
public sealed class ApprovalPageTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    public const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        + "Version/17.5 Mobile/15E148 Safari/604.1";

    [Fact]
    public Task TheRightNumberOnThePhoneSignsInTheAskingLaptopWithin2SecondsAndNotThePhone() => InBrowserAsync(async () =>
    {
        var (laptop, phone, email) = await OpenTheLinkOnThePhoneAsync();
        await Expect(phone.Locator("#approve-asked")).ToContainTextAsync("Chrome on Linux asked to sign in");

        await phone.GetByLabel("The 2-digit number").FillAsync(await laptop.Locator("#approval-number").TextContentAsync() ?? "");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(phone.Locator("#approve-result")).ToContainTextAsync("Approved");
        await Expect(laptop.Locator("#view-signedin")).ToBeVisibleAsync(new() { Timeout = 2_000 });
        await Expect(laptop.Locator("#signed-in-email")).ToHaveTextAsync(email);
        Assert.Equal(401, await SessionStatusAsync(phone.Context));
    });

    [Fact]
    public Task AWrongNumberEndsTheLoginAndTheAskingPageSaysSo() => InBrowserAsync(async () =>
    {
        var (laptop, phone, _) = await OpenTheLinkOnThePhoneAsync();
        var right = int.Parse(await laptop.Locator("#approval-number").TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        await phone.GetByLabel("The 2-digit number").FillAsync(((right + 1) % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(phone.Locator("#approve-error")).ToContainTextAsync("did not match");
        await Expect(laptop.Locator("#error")).ToContainTextAsync("refused this sign-in");
        Assert.Equal(401, await SessionStatusAsync(laptop.Context));
    });

    [Fact]
    public Task ThisWasntMeEndsTheLoginAndTheAskingPageSaysSo() => InBrowserAsync(async () =>
    {
        var (laptop, phone, _) = await OpenTheLinkOnThePhoneAsync();

        await phone.GetByRole(AriaRole.Button, new() { Name = "This wasn't me" }).ClickAsync();

        await Expect(phone.Locator("#approve-result")).ToContainTextAsync("Nobody was signed in");
        await Expect(laptop.Locator("#error")).ToContainTextAsync("refused this sign-in");
        Assert.Equal(401, await SessionStatusAsync(laptop.Context));
    });

    [Fact]
    public Task ScannerFetchesBeforeTheRealClickApproveNothing() => InBrowserAsync(async () =>
    {
        var laptop = await NewPageAsync();
        var email = Addresses.Unique("scanned");
        await RequestEmailAsync(laptop, email);
        var link = await LinkFromMailAsync(email);

        using (var scanner = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true, UseCookies = false }))
        {
            using var head = await scanner.SendAsync(new HttpRequestMessage(HttpMethod.Head, link));
            using var get = await scanner.GetAsync(link);
            await Infrastructure.Expect.ApprovalPageAsync(get);
        }
        var waiting = await laptop.Context.APIRequest.PostAsync(ApprovalApi.CompletePath,
            new() { Headers = new Dictionary<string, string> { ["X-CSRF"] = "1" }, DataObject = new { } });
        Assert.Equal((int)HttpStatusCode.Accepted, waiting.Status);
        await Expect(laptop.Locator("#view-code")).ToBeVisibleAsync();

        var phone = await (await NewContextAsync(360, 740, IPhone)).NewPageAsync();
        await phone.GotoAsync(link.PathAndQuery);
        await phone.GetByLabel("The 2-digit number").FillAsync(await laptop.Locator("#approval-number").TextContentAsync() ?? "");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await ExpectSignedInAsync(laptop, email);
    });

    private async Task<(IPage Laptop, IPage Phone, string Email)> OpenTheLinkOnThePhoneAsync()
    {
        var laptop = await NewPageAsync();
        var email = Addresses.Unique("asked");
        await RequestEmailAsync(laptop, email);
        await Expect(laptop.Locator("#approval-number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]{2}$"));
        var link = await LinkFromMailAsync(email);
        var phone = await (await NewContextAsync(360, 740, IPhone)).NewPageAsync();
        await phone.GotoAsync(link.PathAndQuery);
        return (laptop, phone, email);
    }
}
