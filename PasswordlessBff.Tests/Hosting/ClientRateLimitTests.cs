using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Hosting;

public sealed class LowClientLimits : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:SendPerMinute"] = "3",
        ["RateLimits:VerifyPerMinute"] = "3",
        ["RateLimits:PollPerMinute"] = "3",
    };
}

public abstract class ClientRateLimitTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task SendsBeyondThePerClientLimitGet429WithRetryAfterNever503()
    {
        using var metrics = new MetricWatcher(factory.Services, PasswordlessBff.Auth.AuthMetrics.MeterName);
        using var browser = factory.NewBrowser();
        for (var i = 0; i < 3; i++)
        {
            await browser.SendAsync(Addresses.Unique());
        }
        var limited = await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique() });
        var problem = await Expect.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.True(problem.GetProperty("retryAfter").GetInt32() >= 1);
        Assert.Equal(1, metrics.Total("passwordless.rate_limit.rejections", ("limit", "client-send")));
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
            await Expect.ProblemAsync(await browser.GetAsync(SessionApi.SessionPath), HttpStatusCode.Unauthorized, "unauthenticated");
        }
    }
}

public abstract class ApprovalPollLimitTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    // The asking page polls for a cross-device approval; a client polling far faster than a page would is refused.
    [Fact]
    public async Task TheApprovalPollIsLimitedPerClient()
    {
        using var browser = factory.NewBrowser();
        await browser.SendAsync(Addresses.Unique("poll"));
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await browser.PostAsync(ApprovalApi.CompletePath)).StatusCode);
        }

        await Expect.ProblemAsync(await browser.PostAsync(ApprovalApi.CompletePath), HttpStatusCode.TooManyRequests, "rate_limited");
    }
}

public sealed class ApprovalPollLimitTestsOnSqlite(Bff<SqliteStore, LowClientLimits> factory) : ApprovalPollLimitTests<Bff<SqliteStore, LowClientLimits>>(factory);
public sealed class ApprovalPollLimitTestsOnRedis(Bff<RedisStore, LowClientLimits> factory) : ApprovalPollLimitTests<Bff<RedisStore, LowClientLimits>>(factory);

public sealed class ApprovalPollLimitTestsOnRedisCluster(Bff<RedisClusterStore, LowClientLimits> factory)
    : ApprovalPollLimitTests<Bff<RedisClusterStore, LowClientLimits>>(factory);

public sealed class ClientRateLimitTestsOnSqlite(Bff<SqliteStore, LowClientLimits> factory) : ClientRateLimitTests<Bff<SqliteStore, LowClientLimits>>(factory);
public sealed class ClientRateLimitTestsOnRedis(Bff<RedisStore, LowClientLimits> factory) : ClientRateLimitTests<Bff<RedisStore, LowClientLimits>>(factory);

public sealed class ClientRateLimitTestsOnRedisCluster(Bff<RedisClusterStore, LowClientLimits> factory)
    : ClientRateLimitTests<Bff<RedisClusterStore, LowClientLimits>>(factory);
