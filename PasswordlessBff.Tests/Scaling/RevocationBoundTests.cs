using System.Net;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Scaling;

// Issue 18, item 4: a revocation whose message never arrives (and no connection event to tell) still ends the session on
// every instance within Storage__Redis__SessionCacheSeconds, 5 s by default, on the app's clock.
public abstract class RevocationBoundTests<TStore>(Bff<TStore, Defaults> a) : IClassFixture<Bff<TStore, Defaults>> where TStore : IRedisTestStore, new()
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ARevocationWrittenWithoutItsMessageEndsTheSessionOnBothInstancesWithinTheCacheBound()
    {
        await using var b = a.CreateSibling();
        using var onA = a.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(a, onA);
        // Both instances now hold the record in their caches.
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(a, SessionApi.SessionPath, signedIn.SessionCookie), HttpStatusCode.OK);
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(b, SessionApi.SessionPath, signedIn.SessionCookie), HttpStatusCode.OK);

        // Revoked in Redis the way logout does it, minus the PUBLISH: the message is lost.
        await a.RedisStore.Inspect.HashSetAsync(a.RedisStore.KeyPrefix + "session:" + signedIn.SessionId, "revokedAt",
            a.Time.GetUtcNow().ToUnixTimeMilliseconds());

        a.Time.Advance(Bound - TimeSpan.FromMilliseconds(1));
        // Still inside the bound the cached copies answer: the bound is what this measures, not a re-read on every check.
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(a, SessionApi.SessionPath, signedIn.SessionCookie), HttpStatusCode.OK);
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(b, SessionApi.SessionPath, signedIn.SessionCookie), HttpStatusCode.OK);
        a.Time.Advance(TimeSpan.FromMilliseconds(1));
        await Expect.ProblemAsync(await SessionKit.GetWithSessionCookieAsync(a, SessionApi.SessionPath, signedIn.SessionCookie),
            HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await SessionKit.GetWithSessionCookieAsync(b, SessionApi.SessionPath, signedIn.SessionCookie),
            HttpStatusCode.Unauthorized, "unauthenticated");
    }
}

public sealed class RevocationBoundTestsOnRedis(Bff<RedisStore, Defaults> a) : RevocationBoundTests<RedisStore>(a);

public sealed class RevocationBoundTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> a) : RevocationBoundTests<RedisClusterStore>(a);
