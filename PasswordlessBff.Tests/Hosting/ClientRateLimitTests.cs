using System.Net;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Hosting;

public sealed class LowClientLimitFactory() : BffFactory(new Dictionary<string, string?>
{
    ["RateLimits:SendPerMinute"] = "3",
    ["RateLimits:VerifyPerMinute"] = "3",
});

public sealed class ClientRateLimitTests(LowClientLimitFactory factory) : IClassFixture<LowClientLimitFactory>
{
    [Fact]
    public async Task SendsBeyondThePerClientLimitGet429WithRetryAfterNever503()
    {
        using var browser = factory.NewBrowser();
        for (var i = 0; i < 3; i++)
        {
            await browser.SendAsync(Addresses.Unique());
        }
        var limited = await browser.PostAsync("/api/auth/send", new { email = Addresses.Unique() });
        var problem = await Expect.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.True(problem.GetProperty("retryAfter").GetInt32() >= 1);
    }

    [Fact]
    public async Task VerifyIsLimitedPerClientButSessionChecksAreNot()
    {
        using var browser = factory.NewBrowser();
        for (var i = 0; i < 3; i++)
        {
            await browser.VerifyCodeAsync("123456", "unknown");
        }
        await Expect.ProblemAsync(await browser.VerifyCodeAsync("123456", "unknown"), HttpStatusCode.TooManyRequests, "rate_limited");
        for (var i = 0; i < 20; i++)
        {
            await Expect.ProblemAsync(await browser.GetAsync("/api/auth/session"), HttpStatusCode.Unauthorized, "unauthenticated");
        }
    }
}
