using System.Net;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;
using StackExchange.Redis;

namespace PasswordlessBff.Tests.Scaling;

// Issue 18, item 4: after the subscription's connection comes back, the multiplexer resubscribes in the background, so
// the session cache is trusted only once this instance's own probe has come back through it. Here the probe cannot
// be published (an ACL denies PUBLISH), so the cache must stay off: a revocation written without its message is
// honoured on the very next check, not at the end of the cache bound. Once PUBLISH is allowed again the cache returns.
public sealed class RevocationProbeTests(Bff<OwnRedisStore, Defaults> a) : IClassFixture<Bff<OwnRedisStore, Defaults>>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AfterAReconnectTheCacheStaysOffUntilTheProbeComesBack()
    {
        var redis = a.RedisStore.Inspect;
        using var browser = a.NewBrowser();
        var first = await SessionKit.SignInWithCodeAsync(a, browser);
        await Expect.StatusAsync(await CheckAsync(first), HttpStatusCode.OK);

        await redis.ExecuteAsync("ACL", "SETUSER", "default", "-publish");
        try
        {
            await redis.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
            await Eventually.TrueAsync(async () => await SubscribersAsync(redis) > 0, Within, "the subscription came back");

            // Read after the reconnect, then revoked beneath the cache without a message: no copy may answer.
            await Expect.StatusAsync(await CheckAsync(first), HttpStatusCode.OK);
            await RevokeSilentlyAsync(first);
            await Expect.ProblemAsync(await CheckAsync(first), HttpStatusCode.Unauthorized, "unauthenticated");
        }
        finally
        {
            await redis.ExecuteAsync("ACL", "SETUSER", "default", "+publish");
        }

        // The probe now comes back and the cache is on again: a copy answers until the bound (the clock stands still).
        using var again = a.NewBrowser();
        await Eventually.TrueAsync(async () =>
        {
            var next = await SessionKit.SignInWithCodeAsync(a, again);
            await Expect.StatusAsync(await CheckAsync(next), HttpStatusCode.OK);
            await RevokeSilentlyAsync(next);
            return (await CheckAsync(next)).StatusCode == HttpStatusCode.OK;
        }, Within, "the cache came back on once the probe returned");
    }

    private Task<HttpResponseMessage> CheckAsync(SignedIn signedIn) =>
        SessionKit.GetWithSessionCookieAsync(a, SessionApi.SessionPath, signedIn.SessionCookie);

    private Task<bool> RevokeSilentlyAsync(SignedIn signedIn) => a.RedisStore.Inspect.HashSetAsync(
        a.RedisStore.KeyPrefix + "session:" + signedIn.SessionId, "revokedAt", a.Time.GetUtcNow().ToUnixTimeMilliseconds());

    private static async Task<int> SubscribersAsync(IDatabase redis) =>
        ((string)(await redis.ExecuteAsync("CLIENT", "LIST", "TYPE", "pubsub"))!).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
