using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Http;

public sealed class TrustedProxy : ISettingsProfile
{
    public const string Proxy = "10.0.0.1";

    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:SendPerMinute"] = "3",
        ["ForwardedHeaders:KnownProxies:0"] = Proxy,
    };

    public static void Configure(IWebHostBuilder builder) => SimulatedPeer.Use(builder);
}

// SECURITY.md items 12 and 13: limits are keyed on the client address, which only a configured proxy may forward.
public abstract class ForwardedHeadersTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task SpoofedForwardedForFromLoopbackThatIsNotAConfiguredProxyChangesNothing()
    {
        using var browser = factory.NewBrowser();
        for (var i = 0; i < 3; i++)
        {
            await Expect.StatusAsync(await SendFromAsync(browser, "127.0.0.1", forwardedFor: $"198.51.100.{10 + i}"), HttpStatusCode.OK);
        }

        var spoofed = await SendFromAsync(browser, "127.0.0.1", forwardedFor: "198.51.100.99");

        await Expect.ProblemAsync(spoofed, HttpStatusCode.TooManyRequests, "rate_limited");
        // The limit is the real peer's: another peer still has its whole budget.
        await Expect.StatusAsync(await SendFromAsync(browser, "192.0.2.7", forwardedFor: "198.51.100.99"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ForwardedForFromAConfiguredProxyGivesEachForwardedClientItsOwnLimit()
    {
        using var browser = factory.NewBrowser();
        for (var i = 0; i < 3; i++)
        {
            await Expect.StatusAsync(await SendFromAsync(browser, TrustedProxy.Proxy, forwardedFor: "203.0.113.1"), HttpStatusCode.OK);
        }

        await Expect.ProblemAsync(await SendFromAsync(browser, TrustedProxy.Proxy, forwardedFor: "203.0.113.1"), HttpStatusCode.TooManyRequests, "rate_limited");
        await Expect.StatusAsync(await SendFromAsync(browser, TrustedProxy.Proxy, forwardedFor: "203.0.113.2"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ForwardedHostFromAConfiguredProxyNeverReachesTheMagicLink()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("forwarded-host");

        var sent = await SendFromAsync(browser, TrustedProxy.Proxy, forwardedFor: "203.0.113.50", email, request =>
        {
            request.Headers.Add("X-Forwarded-Host", "evil.example");
            request.Headers.Add("X-Forwarded-Proto", "http");
        });

        await Expect.StatusAsync(sent, HttpStatusCode.OK);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        Assert.Equal("https://localhost", mail.Link!.GetLeftPart(UriPartial.Authority));
    }

    private static Task<HttpResponseMessage> SendFromAsync(Browser browser, string peer, string forwardedFor, string? email = null,
        Action<HttpRequestMessage>? configure = null) =>
        browser.PostAsync(AuthApi.SendPath, new { email = email ?? Addresses.Unique("proxy") }, configure: request =>
        {
            request.From(peer);
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            configure?.Invoke(request);
        });
}

public sealed class ForwardedHeadersTestsOnSqlite(Bff<SqliteStore, TrustedProxy> factory) : ForwardedHeadersTests<Bff<SqliteStore, TrustedProxy>>(factory);
public sealed class ForwardedHeadersTestsOnRedis(Bff<RedisStore, TrustedProxy> factory) : ForwardedHeadersTests<Bff<RedisStore, TrustedProxy>>(factory);

public sealed class ForwardedHeadersTestsOnRedisCluster(Bff<RedisClusterStore, TrustedProxy> factory)
    : ForwardedHeadersTests<Bff<RedisClusterStore, TrustedProxy>>(factory);
