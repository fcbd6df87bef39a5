using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using Addresses = PasswordlessBff.Tests.Infrastructure.Addresses;

namespace PasswordlessBff.Tests.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class DevMailboxPageTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    [Fact]
    public Task TheMailboxListsNewestFirstWithTextAndHtmlAndItsHtmlLinkSignsInThisBrowser() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync();
        var older = Addresses.Unique("older");
        var newer = Addresses.Unique("newer");
        await RequestEmailAsync(page, older);
        await Host.WaitForMailAsync(older);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a different email" }).ClickAsync();
        await RequestEmailAsync(page, newer);
        await Host.WaitForMailAsync(newer);

        await page.GotoAsync("/dev/mailbox");
        var mails = page.Locator("article.mail");
        var newest = mails.Filter(new() { HasText = newer });
        var oldest = mails.Filter(new() { HasText = older });
        var newerIndex = await newest.EvaluateAsync<int>("m => [...m.parentElement.querySelectorAll('article.mail')].indexOf(m)");
        var olderIndex = await oldest.EvaluateAsync<int>("m => [...m.parentElement.querySelectorAll('article.mail')].indexOf(m)");
        Assert.True(newerIndex < olderIndex, "The newest email comes first.");
        await Expect(newest.Locator(".mail-text")).ToContainTextAsync("Or enter this code on the sign-in page:");

        await newest.GetByText("HTML version").ClickAsync();
        var html = newest.FrameLocator("iframe");
        await html.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();

        await ExpectSignedInAsync(page, newer);
    });
}
