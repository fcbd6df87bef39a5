using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PasswordlessBff.Auth;
using PasswordlessBff.Http;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Sessions;

// A team's own routes, protected by RequireSession() alone (not inside the auth group).
public sealed class TeamRoute : ISettingsProfile
{
    public const string Path = "/api/notes";
    public const string ValidatedPath = "/api/notes/validated";
    public const string WhoAmIPath = "/api/notes/whoami";

    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public static void Configure(IWebHostBuilder builder) => TeamEndpoints.Map(builder, endpoints =>
    {
        endpoints.MapPost(Path, (ActiveSession session) => TypedResults.Ok(new { session.Email })).RequireSession();
        // Any validated body will do: the verify request has a registered validator.
        endpoints.MapPost(ValidatedPath, (VerifyRequest body, ActiveSession session) => TypedResults.Ok(new { session.Email }))
            .ValidateBody<VerifyRequest>().RequireSession();
        endpoints.MapGet(WhoAmIPath, (ClaimsPrincipal user) => TypedResults.Ok(new
        {
            sid = user.FindFirstValue("sid"), email = user.FindFirstValue("email"), name = user.Identity?.Name,
        })).RequireSession();
    });
}

public abstract class ProtectedRouteTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(1);

    // SECURITY.md item 27: the routes a team protects need the CSRF defence as much as ours.
    [Fact]
    public async Task APostToAProtectedRouteNeedsTheCsrfHeaderAndAnAllowedOrigin()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);

        await Expect.ProblemAsync(await browser.PostAsync(TeamRoute.Path, csrf: false), HttpStatusCode.Forbidden, "csrf_header_missing");
        var foreign = await browser.PostAsync(TeamRoute.Path, configure: request => request.Headers.Add("Origin", "https://evil.example"));
        await Expect.ProblemAsync(foreign, HttpStatusCode.Forbidden, "origin_not_allowed");
        await Expect.StatusAsync(await browser.PostAsync(TeamRoute.Path), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ARequestRefusedByTheCsrfCheckDoesNotCountAsUseOfTheSession()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);
        factory.Time.Advance(IdleTimeout - TimeSpan.FromMinutes(10));

        await Expect.ProblemAsync(await browser.PostAsync(TeamRoute.Path, csrf: false), HttpStatusCode.Forbidden, "csrf_header_missing");
        factory.Time.Advance(TimeSpan.FromMinutes(10));

        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ARequestRefusedByValidationDoesNotCountAsUseOfTheSession()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);
        factory.Time.Advance(IdleTimeout - TimeSpan.FromMinutes(10));

        await Expect.ProblemAsync(await browser.PostAsync(TeamRoute.ValidatedPath, new { }), HttpStatusCode.BadRequest, "validation_failed");
        factory.Time.Advance(TimeSpan.FromMinutes(10));

        await Expect.ProblemAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task AProtectedHandlerSeesTheSessionAsAClaimsPrincipal()
    {
        using var browser = factory.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);

        var response = await browser.GetAsync(TeamRoute.WhoAmIPath);

        await Expect.StatusAsync(response, HttpStatusCode.OK);
        var user = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(signedIn.SessionId, user.GetProperty("sid").GetString());
        Assert.Equal(signedIn.Email, user.GetProperty("email").GetString());
        Assert.Equal(signedIn.Email, user.GetProperty("name").GetString());
    }

    [Fact]
    public async Task WithoutASessionTheProtectedRouteAnswersUnauthenticated()
    {
        using var browser = factory.NewBrowser();
        await Expect.ProblemAsync(await browser.PostAsync(TeamRoute.Path), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    // SECURITY.md item 28: a new sign-in in a browser ends the session its old cookie pointed to.
    [Fact]
    public async Task SigningInAgainInTheSameBrowserRevokesTheOldSession()
    {
        using var browser = factory.NewBrowser();
        var first = await SessionKit.SignInWithCodeAsync(factory, browser);

        var second = await SessionKit.SignInWithCodeAsync(factory, browser);

        Assert.NotEqual(first.SessionId, second.SessionId);
        await Expect.ProblemAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.MePath, first.SessionCookie), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.MePath, second.SessionCookie), HttpStatusCode.OK);
    }
}

public sealed class ProtectedRouteTestsOnSqlite(Bff<SqliteStore, TeamRoute> factory) : ProtectedRouteTests<Bff<SqliteStore, TeamRoute>>(factory);
public sealed class ProtectedRouteTestsOnRedis(Bff<RedisStore, TeamRoute> factory) : ProtectedRouteTests<Bff<RedisStore, TeamRoute>>(factory);

public sealed class ProtectedRouteTestsOnRedisCluster(Bff<RedisClusterStore, TeamRoute> factory)
    : ProtectedRouteTests<Bff<RedisClusterStore, TeamRoute>>(factory);
