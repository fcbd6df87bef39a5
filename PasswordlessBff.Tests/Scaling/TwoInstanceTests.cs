using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Scaling;

// Two hosts sharing one Redis, as behind a load balancer: nothing may depend on which instance a request lands on.
public abstract class TwoInstanceTests<TStore>(Bff<TStore, Defaults> a) : IClassFixture<Bff<TStore, Defaults>> where TStore : IRedisTestStore, new()
{
    [Fact]
    public async Task SignedInThroughASessionWorksOnB()
    {
        await using var b = a.CreateSibling();
        using var onA = a.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(a, onA);

        using var onB = new Browser(b, onA.Cookies);
        await Expect.StatusAsync(await onB.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(b, SessionApi.SessionPath, signedIn.SessionCookie), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ALinkRequestedThroughACompletesThroughB()
    {
        await using var b = a.CreateSibling();
        using var onA = a.NewBrowser();
        var email = Addresses.Unique();
        await onA.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(a, email);

        // The binding cookie was protected by A's Data Protection keys; B reads it through the shared key ring.
        using var onB = new Browser(b, onA.Cookies);
        Expect.RedirectTo(await onB.OpenLinkAsync(mail.Link!), "/");
        await Expect.StatusAsync(await onA.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task LogoutOnBIsRefusedOnAWithinASecond()
    {
        await using var b = a.CreateSibling();
        using var onA = a.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(a, onA);
        // A now holds the session in its local cache: the next checks on A make no Redis round trip.
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(a, SessionApi.MePath, signedIn.SessionCookie), HttpStatusCode.OK);

        using var onB = new Browser(b, onA.Cookies);
        await Expect.StatusAsync(await onB.PostAsync(SessionApi.LogoutPath), HttpStatusCode.NoContent);

        await Eventually.StatusAsync(() => SessionKit.GetWithSessionCookieAsync(a, SessionApi.MePath, signedIn.SessionCookie),
            HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ThePerAddressEmailLimitHoldsAcrossBoth()
    {
        await using var b = a.CreateSibling();
        using var onA = a.NewBrowser();
        using var onB = b.NewBrowser();
        var email = Addresses.Unique();
        await onA.SendAsync(email);
        a.Time.Advance(TimeSpan.FromSeconds(10));
        await onB.SendAsync(email);

        var limited = await onA.PostAsync(AuthApi.SendPath, new { email });
        var problem = await Expect.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(50, problem.GetProperty("retryAfter").GetInt32());
        await Expect.ProblemAsync(await onB.PostAsync(AuthApi.SendPath, new { email }), HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task FiftyConcurrentVerificationsOfOneCodeSplitAcrossBothYieldExactlyOneSession()
    {
        await using var b = a.CreateSibling();
        using var starter = a.NewBrowser();
        var email = Addresses.Unique();
        var sent = await starter.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(a, email);

        var browsers = Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? a.NewBrowser() : b.NewBrowser()).ToList();
        var responses = await Task.WhenAll(browsers.Select(browser => browser.VerifyCodeAsync(mail.Code!, sent.AuthRequestId)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(1, await a.CountSessionsAsync(email));
        browsers.ForEach(browser => browser.Dispose());
    }

    [Fact]
    public async Task IdleSlidingOnOneInstanceKeepsTheSessionAliveOnTheOther()
    {
        await using var b = a.CreateSibling();
        using var onA = a.NewBrowser();
        await SessionKit.SignInWithCodeAsync(a, onA);
        using var onB = new Browser(b, onA.Cookies);

        // Real use on B every 40 minutes; A is polled in between and must see B's last-seen writes.
        for (var round = 0; round < 3; round++)
        {
            a.Time.Advance(TimeSpan.FromMinutes(40));
            await Expect.StatusAsync(await onB.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
            await Expect.StatusAsync(await onA.GetAsync(SessionApi.SessionPath), HttpStatusCode.OK);
        }
        a.Time.Advance(TimeSpan.FromMinutes(61));
        await Expect.ProblemAsync(await onA.GetAsync(SessionApi.SessionPath), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await onB.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
    }
}

public sealed class TwoInstanceTestsOnRedis(Bff<RedisStore, Defaults> a) : TwoInstanceTests<RedisStore>(a);

public sealed class TwoInstanceTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> a) : TwoInstanceTests<RedisClusterStore>(a);

public abstract class LowClientLimitPairTests<TStore>(Bff<TStore, Hosting.LowClientLimits> a) : IClassFixture<Bff<TStore, Hosting.LowClientLimits>>
    where TStore : IRedisTestStore, new()
{
    [Fact]
    public async Task PerClientLimitsAreCountedTogetherAcrossInstances()
    {
        await using var b = a.CreateSibling();
        using var onA = a.NewBrowser();
        using var onB = b.NewBrowser();
        await onA.SendAsync(Addresses.Unique());
        await onB.SendAsync(Addresses.Unique());
        await onA.SendAsync(Addresses.Unique());

        var limited = await onB.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique() });
        await Expect.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }
}

public sealed class LowClientLimitPairTestsOnRedis(Bff<RedisStore, Hosting.LowClientLimits> a) : LowClientLimitPairTests<RedisStore>(a);

public sealed class LowClientLimitPairTestsOnRedisCluster(Bff<RedisClusterStore, Hosting.LowClientLimits> a)
    : LowClientLimitPairTests<RedisClusterStore>(a);

// Development with no signing key configured: the service generates one and keeps it in the store.
public sealed class DevelopmentWithoutSigningKey : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Session:SigningKey"] = "" };

    public static string Environment => "Development";
}

public sealed class DevelopmentSigningKeyTests(Bff<RedisStore, DevelopmentWithoutSigningKey> a) : IClassFixture<Bff<RedisStore, DevelopmentWithoutSigningKey>>
{
    [Fact]
    public async Task InDevelopmentTheGeneratedSigningKeyIsSharedThroughRedis()
    {
        await using var b = a.CreateSibling();
        using var onA = a.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(a, onA);

        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(b, SessionApi.MePath, signedIn.SessionCookie), HttpStatusCode.OK);
        Assert.Single(a.RedisStore.Keys("dev-session-signing-key"));
        Assert.NotEqual(BffFactory.TestSigningKey, (string?)await a.RedisStore.Inspect.StringGetAsync(a.RedisStore.KeyPrefix + "dev-session-signing-key"));
    }
}
