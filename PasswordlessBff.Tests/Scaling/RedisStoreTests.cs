using System.Net;
using PasswordlessBff.Sessions;
using PasswordlessBff.Storage.Redis;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;
using StackExchange.Redis;

namespace PasswordlessBff.Tests.Scaling;

// What only the Redis store has: TTLs instead of sweeping, and a session check that stays off the network.
public sealed class RedisStoreTests(Bff<OwnRedisStore, Defaults> factory) : IClassFixture<Bff<OwnRedisStore, Defaults>>
{
    [Fact]
    public async Task LoginsLinksAndSessionsCarryTtlsToTheirExpiryPlusRetention()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        await LoginMail.ReceiveAsync(factory, email);

        var login = await factory.RedisStore.Inspect.KeyTimeToLiveAsync(factory.RedisStore.KeyPrefix + "login:" + RedisShards.OfLogin(sent.AuthRequestId) + sent.AuthRequestId);
        Assert.InRange(login!.Value, TimeSpan.FromSeconds(300 + 3600 - 10), TimeSpan.FromSeconds(300 + 3600));
        var link = await factory.RedisStore.Inspect.KeyTimeToLiveAsync(Assert.Single(factory.RedisStore.Keys("link:*")));
        Assert.InRange(link!.Value, TimeSpan.FromSeconds(300 + 3600 - 10), TimeSpan.FromSeconds(300 + 3600));

        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);
        var session = await factory.RedisStore.Inspect.KeyTimeToLiveAsync(factory.RedisStore.KeyPrefix + "session:" + signedIn.SessionId);
        Assert.InRange(session!.Value, TimeSpan.FromHours(12) - TimeSpan.FromSeconds(10), TimeSpan.FromHours(12));
    }

    [Fact]
    public async Task RepeatedSessionChecksMakeNoRedisRoundTripWhileNothingIsRevoked()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);

        var before = await SessionCommandsAsync();
        for (var i = 0; i < 20; i++)
        {
            await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
            await Expect.StatusAsync(await browser.GetAsync(SessionApi.SessionPath), HttpStatusCode.OK);
        }

        Assert.Equal(before, await SessionCommandsAsync());
    }

    // Reads (HGETALL) and scripted writes (touch, revoke) the server has run since it started.
    private async Task<long> SessionCommandsAsync()
    {
        var info = await factory.RedisStore.Inspect.ExecuteAsync("INFO", "commandstats");
        return info.ToString().Split('\n')
            .Where(line => line.StartsWith("cmdstat_hgetall:", StringComparison.Ordinal) || line.StartsWith("cmdstat_eval", StringComparison.Ordinal))
            .Sum(line => long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class RedisStartupValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:6379,notAnOption=1")]
    public async Task RedisWithoutAUsableConfigurationStopsStartUpNamingTheSetting(string configuration)
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Redis",
            ["Storage:Redis:Configuration"] = configuration,
        }));
        Assert.Contains("Storage__Redis__Configuration", error, StringComparison.Ordinal);
    }
}
