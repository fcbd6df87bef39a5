using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Sessions;

// SECURITY.md item 20: a 12 h absolute lifetime that nothing extends, and a 1 h idle timeout that only real use slides.
public abstract class SessionLifetimeTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    private static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(1);
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task AbsoluteLifetimeOfTwelveHoursIsNeverExtendedByConstantUse()
    {
        using var browser = factory.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);
        var signedInAt = factory.Time.GetUtcNow();
        var absoluteExpiry = (await SessionAsync(browser)).ExpiresAt;
        Assert.Equal(signedInAt + AbsoluteLifetime, absoluteExpiry, TimeSpan.FromMilliseconds(1));
        Assert.Equal(12 * 3600, (await signedIn.Verified.Content.ReadFromJsonAsync<SessionResponse>())!.ExpiresIn);
        var elapsed = TimeSpan.Zero;

        while (elapsed + TimeSpan.FromMinutes(50) < AbsoluteLifetime)
        {
            factory.Time.Advance(TimeSpan.FromMinutes(50));
            elapsed += TimeSpan.FromMinutes(50);
            await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
            Assert.Equal(absoluteExpiry, (await SessionAsync(browser)).ExpiresAt);
        }

        factory.Time.Advance(AbsoluteLifetime - OneSecond - elapsed);
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);

        factory.Time.Advance(OneSecond);
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.SessionPath + "?slide=true"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task IdleSessionIsStillValidAfter59Minutes59Seconds()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);

        factory.Time.Advance(IdleTimeout - OneSecond);

        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task IdleSessionExpiresAfterOneHourWithoutUse()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);

        factory.Time.Advance(IdleTimeout);

        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.SessionPath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task PollingTheSessionEndpointDoesNotSlideTheIdleTimeout()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);

        factory.Time.Advance(TimeSpan.FromMinutes(30));
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.SessionPath), HttpStatusCode.OK);

        factory.Time.Advance(TimeSpan.FromMinutes(30));
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.SessionPath), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task SessionEndpointWithSlideTrueSlidesTheIdleTimeout()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);
        var signedInAt = factory.Time.GetUtcNow();

        factory.Time.Advance(TimeSpan.FromMinutes(30));
        var slid = await SessionAsync(browser, SessionApi.SessionPath + "?slide=true");
        Assert.True(slid.IdleExpiresAt >= signedInAt + TimeSpan.FromMinutes(90) - OneSecond, $"idle expiry not moved: {slid.IdleExpiresAt}");

        factory.Time.Advance(TimeSpan.FromMinutes(30));
        await SessionAsync(browser);

        // The plain poll at 60 min did not slide: 60 min after the slide at 30 min the session is idle.
        factory.Time.Advance(TimeSpan.FromMinutes(30));
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.SessionPath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ProtectedRouteUseSlidesTheIdleTimeout()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);

        factory.Time.Advance(TimeSpan.FromMinutes(30));
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);

        factory.Time.Advance(TimeSpan.FromMinutes(30));
        await SessionAsync(browser);

        factory.Time.Advance(TimeSpan.FromMinutes(29) + TimeSpan.FromSeconds(59));
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    private static async Task<SessionResponse> SessionAsync(Browser browser, string path = SessionApi.SessionPath)
    {
        var response = await browser.GetAsync(path);
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<SessionResponse>())!;
    }
}

public sealed class SessionLifetimeTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : SessionLifetimeTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class SessionLifetimeTestsOnRedis(Bff<RedisStore, Defaults> factory) : SessionLifetimeTests<Bff<RedisStore, Defaults>>(factory);

public sealed class SessionLifetimeTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : SessionLifetimeTests<Bff<RedisClusterStore, Defaults>>(factory);
