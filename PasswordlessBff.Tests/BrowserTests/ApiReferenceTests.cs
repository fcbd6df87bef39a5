using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PasswordlessBff.Tests.BrowserTests;

[Collection(SharedBrowser.Name)]
public sealed class ApiReferenceTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    [Fact]
    public Task TheScalarReferenceRendersTheEndpointsUnderItsContentSecurityPolicy() => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refused.Add(message.Text);
            }
        };
        await page.GotoAsync("/scalar");
        await Expect(page.GetByText("Start a sign-in: email a magic link and a code").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.Empty(refused);
    });
}
