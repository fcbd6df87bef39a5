using System.Diagnostics;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Examples;

// The examples a team copies from docs/TESTING.md are run here, so they cannot rot: the Playwright ones with node's
// test runner and the Chromium the browser tests use, against the real service in test mode.
public sealed class JavaScriptExamplesTests(TestModeService service) : IClassFixture<TestModeService>
{
    private static readonly string Examples = Path.Combine(Repository.Root, "docs", "examples", "playwright");

    [Fact]
    public async Task ThePlaywrightExamplesPassAgainstTheServiceInTestMode()
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Examples,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add("--test-reporter=tap");
        start.Environment["BFF_URL"] = service.BaseAddress.ToString().TrimEnd('/');
        start.Environment["CHROMIUM_PATH"] = BrowserTests.BrowserHost.ChromiumPath;
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await node.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }

        var report = $"{await output}\n{await errors}\nservice:\n{service.Output}";
        Assert.True(node.ExitCode == 0, report);
        Assert.Contains("# pass 2", report, StringComparison.Ordinal);
        Assert.Contains("# fail 0", report, StringComparison.Ordinal);
    }

    // What docs/TESTING.md shows is exactly what runs.
    [Theory]
    [InlineData("docs/examples/playwright/sign-in-through-the-page.test.mjs")]
    [InlineData("docs/examples/playwright/one-call-session.test.mjs")]
    [InlineData("docs/examples/playwright/launch.mjs")]
    [InlineData("PasswordlessBff.Tests/Examples/SignedInApiExampleTests.cs")]
    public void TheTestingGuideShowsEachExampleAsItRuns(string example)
    {
        var guide = File.ReadAllText(Path.Combine(Repository.Root, "docs", "TESTING.md")).ReplaceLineEndings("\n");
        var code = File.ReadAllText(Path.Combine(Repository.Root, example)).ReplaceLineEndings("\n").TrimEnd('\n');

        Assert.Contains(code, guide, StringComparison.Ordinal);
    }
}
