using System.Net;
using Microsoft.AspNetCore.Hosting;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Http;

public sealed class Ipv6ClientLimits : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:SendPerMinute"] = "3" };

    public static void Configure(IWebHostBuilder builder) => SimulatedPeer.Use(builder);
}

// SECURITY.md items 12 and 13: an IPv6 client is limited per /64, so new addresses in its prefix buy no new budget.
public abstract class Ipv6ClientLimitTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task TwoAddressesInOneIpv6Slash64ShareOneSendBudgetAndAnotherSlash64HasItsOwn()
    {
        using var browser = factory.NewBrowser();
        await Expect.StatusAsync(await SendFromAsync(browser, "2001:db8::1"), HttpStatusCode.OK);
        await Expect.StatusAsync(await SendFromAsync(browser, "2001:db8::1"), HttpStatusCode.OK);
        await Expect.StatusAsync(await SendFromAsync(browser, "2001:db8::2"), HttpStatusCode.OK);

        await Expect.ProblemAsync(await SendFromAsync(browser, "2001:db8::2"), HttpStatusCode.TooManyRequests, "rate_limited");
        await Expect.ProblemAsync(await SendFromAsync(browser, "2001:db8::ffff:1"), HttpStatusCode.TooManyRequests, "rate_limited");
        await Expect.StatusAsync(await SendFromAsync(browser, "2001:db8:0:1::1"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnIpv4ClientOnADualStackSocketSharesItsBudgetWithItsIpv4Address()
    {
        using var browser = factory.NewBrowser();
        for (var i = 0; i < 3; i++)
        {
            await Expect.StatusAsync(await SendFromAsync(browser, i % 2 == 0 ? "192.0.2.44" : "::ffff:192.0.2.44"), HttpStatusCode.OK);
        }

        await Expect.ProblemAsync(await SendFromAsync(browser, "::ffff:192.0.2.44"), HttpStatusCode.TooManyRequests, "rate_limited");
        await Expect.StatusAsync(await SendFromAsync(browser, "192.0.2.45"), HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> SendFromAsync(Browser browser, string peer) =>
        browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique("ipv6") }, configure: request => request.From(peer));
}

public sealed class Ipv6ClientLimitTestsOnSqlite(Bff<SqliteStore, Ipv6ClientLimits> factory) : Ipv6ClientLimitTests<Bff<SqliteStore, Ipv6ClientLimits>>(factory);
public sealed class Ipv6ClientLimitTestsOnRedis(Bff<RedisStore, Ipv6ClientLimits> factory) : Ipv6ClientLimitTests<Bff<RedisStore, Ipv6ClientLimits>>(factory);

public sealed class Ipv6ClientLimitTestsOnRedisCluster(Bff<RedisClusterStore, Ipv6ClientLimits> factory)
    : Ipv6ClientLimitTests<Bff<RedisClusterStore, Ipv6ClientLimits>>(factory);
