using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PasswordlessBff.Tests.BrowserTests;

// Pictures of every view at desktop and phone width, for people to look at; UPDATE_SCREENSHOTS=1 refreshes the README's.
[Collection(SharedBrowser.Name)]
public sealed class ScreenshotTests(BrowserHost host, ITestOutputHelper output) : BrowserTest(host, output)
{
    [Theory]
    [InlineData(800, "desktop")]
    [InlineData(320, "narrow")]
    public Task EveryViewIsPhotographed(int width, string name) => InBrowserAsync(async () =>
    {
        var page = await NewPageAsync(width, height: 700);
        var email = $"ada.{name}@example.com";
        var readme = name == "desktop" && Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1";

        await page.GotoAsync("/");
        await Expect(page.Locator("#view-signin")).ToBeVisibleAsync();
        await Expect(page.Locator("#dev-mailbox-link")).ToBeVisibleAsync();
        await SaveAsync(page, $"{name}-signin", readme ? "signin" : null);

        await RequestEmailAsync(page, email);
        await page.GetByLabel("6-digit code").FillAsync("12");
        await SaveAsync(page, $"{name}-code", null);

        await page.GotoAsync($"/?error=browser_mismatch");
        await Expect(page.Locator("#error")).ToContainTextAsync("different browser");
        await SaveAsync(page, $"{name}-mismatch", null);

        await OpenLinkFromMailboxAsync(page, email);
        await ExpectSignedInAsync(page, email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Call protected API" }).ClickAsync();
        await Expect(page.Locator("#api-result")).ToBeVisibleAsync();
        await SaveAsync(page, $"{name}-signed-in", readme ? "signed-in" : null);

        await page.GotoAsync("/dev/mailbox");
        await page.Locator("article.mail").First.GetByText("HTML version").ClickAsync();
        await SaveAsync(page, $"{name}-mailbox", null);
    });

    private static async Task SaveAsync(IPage page, string file, string? readmeName)
    {
        // Nothing blinks in a picture: no caret, no focus ring half-way through an animation.
        static PageScreenshotOptions To(string path) =>
            new() { Path = path, FullPage = true, Caret = ScreenshotCaret.Hide, Animations = ScreenshotAnimations.Disabled };
        await page.ScreenshotAsync(To(Path.Combine(ScreenshotDirectory, "views", $"{file}.png")));
        if (readmeName is not null)
        {
            await page.ScreenshotAsync(To(Path.Combine(RepositoryRoot(), "docs", "screenshots", $"{readmeName}.png")));
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PasswordlessBff.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("PasswordlessBff.sln not found above the test output.");
    }
}
