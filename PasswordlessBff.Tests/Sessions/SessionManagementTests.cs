using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Sessions;

// SECURITY.md item 19: a person lists their sessions and revokes one or all others; nobody else's are visible or reachable.
public abstract class SessionManagementTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task SessionListShowsOnlyTheCallersOwnSessionsWithTheCurrentOneMarked()
    {
        using var laptop = factory.NewBrowser();
        using var phone = factory.NewBrowser();
        using var stranger = factory.NewBrowser();
        laptop.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Laptop/1.0");
        phone.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Phone/2.0");
        var email = Addresses.Unique("list");
        var onLaptop = await SessionKit.SignInWithCodeAsync(factory, laptop, email);
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var onPhone = await SessionKit.SignInWithCodeAsync(factory, phone, email, nth: 2);
        var strangers = await SessionKit.SignInWithCodeAsync(factory, stranger);

        var list = await ListAsync(laptop);

        Assert.Equal(new[] { onLaptop.SessionId, onPhone.SessionId }.Order(), list.Sessions.Select(s => s.Id).Order());
        Assert.DoesNotContain(list.Sessions, s => s.Id == strangers.SessionId);
        var current = Assert.Single(list.Sessions, s => s.Current);
        Assert.Equal(onLaptop.SessionId, current.Id);
        Assert.Equal("Laptop/1.0", current.Device);
        Assert.Equal("Phone/2.0", list.Sessions.Single(s => !s.Current).Device);
        Assert.All(list.Sessions, s => Assert.True(s.CreatedAt <= s.LastUsedAt));
    }

    [Fact]
    public async Task SessionListIsOnlyForTheSignedIn()
    {
        using var browser = factory.NewBrowser();

        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.SessionsPath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task RevokingOneOfYourOwnSessionsEndsItAndKeepsTheCurrentOne()
    {
        using var laptop = factory.NewBrowser();
        using var phone = factory.NewBrowser();
        var email = Addresses.Unique("revoke-one");
        await SessionKit.SignInWithCodeAsync(factory, laptop, email);
        var onPhone = await SessionKit.SignInWithCodeAsync(factory, phone, email, nth: 2);

        var revoked = await DeleteAsync(laptop, $"{SessionApi.SessionsPath}/{onPhone.SessionId}");

        await Expect.StatusAsync(revoked, HttpStatusCode.NoContent);
        await Expect.ProblemAsync(await phone.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.StatusAsync(await laptop.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        Assert.DoesNotContain((await ListAsync(laptop)).Sessions, s => s.Id == onPhone.SessionId);
    }

    [Fact]
    public async Task RevokingSomeoneElsesSessionAnswersNotFoundLikeAnUnknownIdAndChangesNothing()
    {
        using var mine = factory.NewBrowser();
        using var theirs = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, mine);
        var other = await SessionKit.SignInWithCodeAsync(factory, theirs);

        await Expect.ProblemAsync(await DeleteAsync(mine, $"{SessionApi.SessionsPath}/{other.SessionId}"), HttpStatusCode.NotFound, "not_found");
        await Expect.ProblemAsync(await DeleteAsync(mine, SessionApi.SessionsPath + "/no-such-session"), HttpStatusCode.NotFound, "not_found");

        await Expect.StatusAsync(await theirs.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokingASessionNeedsTheCsrfHeader()
    {
        using var laptop = factory.NewBrowser();
        using var phone = factory.NewBrowser();
        var email = Addresses.Unique("revoke-csrf");
        await SessionKit.SignInWithCodeAsync(factory, laptop, email);
        var onPhone = await SessionKit.SignInWithCodeAsync(factory, phone, email, nth: 2);

        var forged = await DeleteAsync(laptop, $"{SessionApi.SessionsPath}/{onPhone.SessionId}", csrf: false);
        var othersForged = await laptop.PostAsync(SessionApi.SessionsPath + "/revoke-others", csrf: false);

        await Expect.ProblemAsync(forged, HttpStatusCode.Forbidden, "csrf_header_missing");
        await Expect.ProblemAsync(othersForged, HttpStatusCode.Forbidden, "csrf_header_missing");
        await Expect.StatusAsync(await phone.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokeOthersEndsEveryOtherSessionOfThePersonOnEveryInstanceAndNoOneElses()
    {
        using var laptop = factory.NewBrowser();
        using var phone = factory.NewBrowser();
        using var tablet = factory.NewBrowser();
        using var stranger = factory.NewBrowser();
        var email = Addresses.Unique("revoke-others");
        await SessionKit.SignInWithCodeAsync(factory, laptop, email);
        var onPhone = await SessionKit.SignInWithCodeAsync(factory, phone, email, nth: 2);
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        await SessionKit.SignInWithCodeAsync(factory, tablet, email, nth: 3);
        await SessionKit.SignInWithCodeAsync(factory, stranger);
        await using var otherInstance = factory.CreateSibling();
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(otherInstance, SessionApi.MePath, onPhone.SessionCookie), HttpStatusCode.OK);

        var response = await laptop.PostAsync(SessionApi.SessionsPath + "/revoke-others");

        await Expect.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<RevokeOthersResponse>())!.Revoked);
        await Expect.ProblemAsync(await phone.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await tablet.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
        await Eventually.StatusAsync(() => SessionKit.GetWithSessionCookieAsync(otherInstance, SessionApi.MePath, onPhone.SessionCookie),
            HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
        await Expect.StatusAsync(await laptop.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        await Expect.StatusAsync(await stranger.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        Assert.Single((await ListAsync(laptop)).Sessions);
        // Audited as a revocation (event 7008) without the address in clear.
        var audit = factory.Logs.Lines.Where(line => line.Contains("[7008]", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(audit);
        Assert.DoesNotContain(audit, line => line.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<SessionListResponse> ListAsync(Browser browser)
    {
        var response = await browser.GetAsync(SessionApi.SessionsPath);
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<SessionListResponse>())!;
    }

    private static Task<HttpResponseMessage> DeleteAsync(Browser browser, string path, bool csrf = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, path);
        if (csrf)
        {
            request.Headers.Add("X-CSRF", "1");
        }
        return browser.Http.SendAsync(request);
    }
}

public sealed class SessionManagementTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : SessionManagementTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class SessionManagementTestsOnRedis(Bff<RedisStore, Defaults> factory) : SessionManagementTests<Bff<RedisStore, Defaults>>(factory);

public sealed class SessionManagementTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : SessionManagementTests<Bff<RedisClusterStore, Defaults>>(factory);
