using System.Net;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Sessions;

// SECURITY.md item 19: logout revokes the session on the server, so a copied cookie stops working everywhere.
public abstract class LogoutTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task LogoutRevokesTheSessionSoACopiedCookieReplayedElsewhereGets401()
    {
        using var browser = factory.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);
        var copied = signedIn.SessionCookie;
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.MePath, copied), HttpStatusCode.OK);

        var logout = await browser.PostAsync(SessionApi.LogoutPath);
        await Expect.StatusAsync(logout, HttpStatusCode.NoContent);

        await Expect.ProblemAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.MePath, copied), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.SessionPath, copied), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.SessionPath + "?slide=true", copied), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task LogoutDeletesTheSessionCookieInTheBrowser()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);

        var logout = await browser.PostAsync(SessionApi.LogoutPath);
        await Expect.StatusAsync(logout, HttpStatusCode.NoContent);

        var deletion = SessionKit.SetCookie(logout, SessionKit.SessionCookieName);
        Assert.True(deletion.Expires < DateTimeOffset.UtcNow, $"session cookie not expired: {deletion}");
        Assert.Null(browser.Cookie(SessionKit.SessionCookieName));
        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task LogoutOnlyRevokesItsOwnSession()
    {
        using var leaving = factory.NewBrowser();
        using var staying = factory.NewBrowser();
        var email = Addresses.Unique("two-devices");
        var left = await SessionKit.SignInWithCodeAsync(factory, leaving, email);
        var stayed = await SessionKit.SignInWithCodeAsync(factory, staying, email, nth: 2);

        await Expect.StatusAsync(await leaving.PostAsync(SessionApi.LogoutPath), HttpStatusCode.NoContent);

        await Expect.ProblemAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.MePath, left.SessionCookie), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.MePath, stayed.SessionCookie), HttpStatusCode.OK);
    }

    [Fact]
    public async Task LogoutTwiceAnswers204BothTimesAndTheCookieStaysRevoked()
    {
        using var browser = factory.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);

        await Expect.StatusAsync(await browser.PostAsync(SessionApi.LogoutPath), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await browser.PostAsync(SessionApi.LogoutPath), HttpStatusCode.NoContent);
        // The replayed copy logging out again must not bring anything back either.
        await Expect.StatusAsync(await PostLogoutWithCookieAsync(signedIn.SessionCookie), HttpStatusCode.NoContent);

        await Expect.ProblemAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.MePath, signedIn.SessionCookie), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task LogoutWithoutASessionAnswers204()
    {
        using var browser = factory.NewBrowser();

        var logout = await browser.PostAsync(SessionApi.LogoutPath);

        await Expect.StatusAsync(logout, HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task LogoutWithAForgedCookieAnswers204()
    {
        await Expect.StatusAsync(await PostLogoutWithCookieAsync("not-a-token"), HttpStatusCode.NoContent);
    }

    private async Task<HttpResponseMessage> PostLogoutWithCookieAsync(string cookieValue)
    {
        using var client = factory.CreateDefaultClient(Browser.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Post, SessionApi.LogoutPath);
        request.Headers.Add("X-CSRF", "1");
        request.Headers.Add("Cookie", $"{SessionKit.SessionCookieName}={cookieValue}");
        return await client.SendAsync(request);
    }
}

public sealed class LogoutTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : LogoutTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class LogoutTestsOnRedis(Bff<RedisStore, Defaults> factory) : LogoutTests<Bff<RedisStore, Defaults>>(factory);

public sealed class LogoutTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory) : LogoutTests<Bff<RedisClusterStore, Defaults>>(factory);
