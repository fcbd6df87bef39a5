using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PasswordlessBff.Sessions;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PasswordlessBff.Tests.BrowserTests;

// The browser tests share one collection so that only one Chromium works at a time on a small machine.
[CollectionDefinition(Name)]
public sealed class SharedBrowser : ICollectionFixture<BrowserHost>
{
    public const string Name = "Browser";
}

// Each test gets fresh browser contexts; a failing test leaves a screenshot of every page it opened.
public abstract partial class BrowserTest(BrowserHost host, ITestOutputHelper output) : IAsyncLifetime
{
    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly List<IBrowserContext> _contexts = [];

    static BrowserTest() => SetDefaultExpectTimeout(15_000);

    protected BrowserHost Host => host;

    protected async Task<IBrowserContext> NewContextAsync(int width = 1024, int height = 800, string? userAgent = null)
    {
        var context = await host.NewContextAsync(width, height, userAgent);
        context.SetDefaultTimeout(15_000);
        _contexts.Add(context);
        return context;
    }

    protected async Task<IPage> NewPageAsync(int width = 1024, int height = 800) =>
        await (await NewContextAsync(width, height)).NewPageAsync();

    protected async Task InBrowserAsync(Func<Task> body, [CallerMemberName] string test = "")
    {
        try
        {
            await body();
        }
        catch
        {
            await SaveScreenshotsAsync(test);
            throw;
        }
    }

    // The sign-in form, then the "check your email" view for this address.
    protected static async Task RequestEmailAsync(IPage page, string email)
    {
        if (!await page.Locator("#view-signin").IsVisibleAsync())
        {
            await page.GotoAsync("/");
        }
        await Expect(page.Locator("#view-signin")).ToBeVisibleAsync();
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Email address").PressAsync("Enter");
        await Expect(page.Locator("#view-code")).ToBeVisibleAsync();
        await Expect(page.Locator("#sent-to")).ToHaveTextAsync(email);
    }

    // What a person does: open the dev mailbox in this browser and click the link of the newest email to this address.
    protected async Task OpenLinkFromMailboxAsync(IPage page, string email, int nth = 1)
    {
        await host.WaitForMailAsync(email, nth);
        await page.GotoAsync("/dev/mailbox");
        var mail = page.Locator("article.mail").Filter(new LocatorFilterOptions { HasText = email }).First;
        await mail.Locator(".mail-text a").ClickAsync();
    }

    protected async Task<string> CodeFromMailAsync(string email, int nth = 1)
    {
        var message = await host.WaitForMailAsync(email, nth);
        return CodePattern().Match(message.Text).Groups[1].Value;
    }

    protected async Task<Uri> LinkFromMailAsync(string email, int nth = 1)
    {
        var message = await host.WaitForMailAsync(email, nth);
        return new Uri(LinkPattern().Match(message.Text).Value);
    }

    protected static async Task ExpectSignedInAsync(IPage page, string email)
    {
        await Expect(page.Locator("#view-signedin")).ToBeVisibleAsync();
        await Expect(page.Locator("#signed-in-email")).ToHaveTextAsync(email);
    }

    protected static async Task<int> SessionStatusAsync(IBrowserContext context)
    {
        var response = await context.APIRequest.GetAsync(SessionApi.SessionPath);
        return response.Status;
    }

    private async Task SaveScreenshotsAsync(string test)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var n = 0;
        foreach (var page in _contexts.SelectMany(c => c.Pages))
        {
            var path = Path.Combine(ScreenshotDirectory, $"{GetType().Name}.{test}.{++n}.png");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
                output.WriteLine($"Screenshot of {page.Url}: {path}");
            }
            catch (PlaywrightException e)
            {
                output.WriteLine($"No screenshot of {page.Url}: {e.Message}");
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    [GeneratedRegex(@"(?m)^(\d{6})\r?$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
