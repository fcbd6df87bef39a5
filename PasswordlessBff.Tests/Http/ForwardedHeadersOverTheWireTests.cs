using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Http;

// SECURITY.md items 12, 13 and 23 where they live: a real process, real sockets, 127.0.0.2 as a second client.
public sealed class NoProxyService : IAsyncLifetime
{
    public ServiceProcess Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await ServiceProcess.StartAsync();

    public async Task DisposeAsync() => await Service.DisposeAsync();
}

public sealed class BehindProxyService : IAsyncLifetime
{
    public const string Proxy = "127.0.0.1";
    public const int SendsPerMinute = 3;

    public ServiceProcess Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
    {
        ["ForwardedHeaders__KnownProxies__0"] = Proxy,
        ["RateLimits__SendPerMinute"] = SendsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await Service.DisposeAsync();
}

public sealed class ForwardedForWithoutAProxyTests(NoProxyService fixture) : IClassFixture<NoProxyService>
{
    [Fact]
    public async Task WithNoProxyConfiguredAForwardedForHeaderIsIgnoredWhoeverSendsIt()
    {
        using var client = fixture.Service.ClientFrom("127.0.0.1");
        for (var i = 0; i < 30; i++)
        {
            var sent = await ForwardedSendAsync(client, $"198.51.100.{i + 1}");
            Assert.True(sent.StatusCode == HttpStatusCode.OK, $"send {i + 1}: {(int)sent.StatusCode} {await sent.Content.ReadAsStringAsync()}");
        }

        // A fresh X-Forwarded-For is not a fresh client: the 31st send from this socket address is over the limit.
        var limited = await ForwardedSendAsync(client, "198.51.100.200");

        await Expect.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task WithNoProxyConfiguredForwardedProtoDoesNotTurnOnHsts()
    {
        using var client = fixture.Service.ClientFrom("127.0.0.2");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = "bff.example";
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    internal static Task<HttpResponseMessage> ForwardedSendAsync(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, AuthApi.SendPath)
        {
            Content = JsonContent.Create(new { email = Addresses.Unique("wire") }),
        };
        request.Headers.Add("X-CSRF", "1");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }
}

public sealed class ForwardedForBehindAProxyTests(BehindProxyService fixture) : IClassFixture<BehindProxyService>
{
    [Fact]
    public async Task TheConfiguredProxyGivesEachForwardedClientItsOwnBudget()
    {
        using var proxy = fixture.Service.ClientFrom(BehindProxyService.Proxy);
        for (var i = 0; i < BehindProxyService.SendsPerMinute; i++)
        {
            await Expect.StatusAsync(await ForwardedForWithoutAProxyTests.ForwardedSendAsync(proxy, "203.0.113.1"), HttpStatusCode.OK);
        }

        await Expect.ProblemAsync(await ForwardedForWithoutAProxyTests.ForwardedSendAsync(proxy, "203.0.113.1"), HttpStatusCode.TooManyRequests, "rate_limited");
        await Expect.StatusAsync(await ForwardedForWithoutAProxyTests.ForwardedSendAsync(proxy, "203.0.113.2"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task AClientThatIsNotTheProxyCannotForwardItselfANewAddress()
    {
        using var other = fixture.Service.ClientFrom("127.0.0.2");
        for (var i = 0; i < BehindProxyService.SendsPerMinute; i++)
        {
            await Expect.StatusAsync(await ForwardedForWithoutAProxyTests.ForwardedSendAsync(other, $"192.0.2.{i + 1}"), HttpStatusCode.OK);
        }

        var limited = await ForwardedForWithoutAProxyTests.ForwardedSendAsync(other, "192.0.2.99");

        await Expect.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task HstsIsSentBehindTheConfiguredTlsTerminatingProxyAndNotForAnyoneElse()
    {
        using var proxy = fixture.Service.ClientFrom(BehindProxyService.Proxy);
        using var other = fixture.Service.ClientFrom("127.0.0.2");

        var viaProxy = await proxy.SendAsync(HealthOverTls());
        var direct = await other.SendAsync(HealthOverTls());

        Assert.True(viaProxy.Headers.Contains("Strict-Transport-Security"), fixture.Service.Output);
        Assert.False(direct.Headers.Contains("Strict-Transport-Security"));
    }

    // What a TLS-terminating proxy sends on: the public host, and the scheme the browser used.
    private static HttpRequestMessage HealthOverTls()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = "bff.example";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        return request;
    }
}
