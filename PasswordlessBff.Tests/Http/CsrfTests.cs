using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Http;

// SECURITY.md item 22: every POST needs 'X-CSRF: 1', and a cross-site Origin or Sec-Fetch-Site is refused.
public abstract class CsrfTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Theory]
    [MemberData(nameof(CsrfEndpoints.Post), MemberType = typeof(CsrfEndpoints))]
    public async Task PostWithoutTheCsrfHeaderIsRefusedWithCsrfHeaderMissing(string path)
    {
        using var browser = factory.NewBrowser();

        var response = await browser.PostAsync(path, ValidBody(path), csrf: false);

        await Expect.ProblemAsync(response, HttpStatusCode.Forbidden, "csrf_header_missing");
    }

    [Theory]
    [MemberData(nameof(CsrfEndpoints.Post), MemberType = typeof(CsrfEndpoints))]
    public async Task PostWithACsrfHeaderOtherThanOneIsRefusedWithCsrfHeaderMissing(string path)
    {
        using var browser = factory.NewBrowser();

        var response = await browser.PostAsync(path, ValidBody(path), csrf: false, r => r.Headers.Add("X-CSRF", "true"));

        await Expect.ProblemAsync(response, HttpStatusCode.Forbidden, "csrf_header_missing");
    }

    [Theory]
    [MemberData(nameof(CsrfEndpoints.Post), MemberType = typeof(CsrfEndpoints))]
    public async Task PostFromAForeignOriginIsRefusedWithOriginNotAllowed(string path)
    {
        using var browser = factory.NewBrowser();

        var response = await browser.PostAsync(path, ValidBody(path), configure: r => r.Headers.Add("Origin", "https://evil.example"));

        await Expect.ProblemAsync(response, HttpStatusCode.Forbidden, "origin_not_allowed");
    }

    [Theory]
    [MemberData(nameof(CsrfEndpoints.Post), MemberType = typeof(CsrfEndpoints))]
    public async Task PostMarkedCrossSiteBySecFetchSiteWithoutOriginIsRefusedWithOriginNotAllowed(string path)
    {
        using var browser = factory.NewBrowser();

        var response = await browser.PostAsync(path, ValidBody(path), configure: r => r.Headers.Add("Sec-Fetch-Site", "cross-site"));

        await Expect.ProblemAsync(response, HttpStatusCode.Forbidden, "origin_not_allowed");
    }

    [Theory]
    [InlineData(AuthApi.SendPath, HttpStatusCode.OK)]
    [InlineData(AuthApi.ResendPath, HttpStatusCode.BadRequest)]
    [InlineData(AuthApi.VerifyPath, HttpStatusCode.BadRequest)]
    [InlineData(SessionApi.LogoutPath, HttpStatusCode.NoContent)]
    public async Task PostFromTheServiceOriginPassesTheCsrfCheck(string path, HttpStatusCode expected)
    {
        using var browser = factory.NewBrowser();

        var response = await browser.PostAsync(path, ValidBody(path), configure: r =>
        {
            r.Headers.Add("Origin", "https://localhost");
            r.Headers.Add("Sec-Fetch-Site", "same-origin");
        });

        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        await Expect.StatusAsync(response, expected);
    }

    [Fact]
    public async Task LogoutWithoutTheCsrfHeaderLeavesTheSessionSignedIn()
    {
        using var browser = factory.NewBrowser();
        await SessionKit.SignInWithCodeAsync(factory, browser);

        await Expect.ProblemAsync(await browser.PostAsync(SessionApi.LogoutPath, csrf: false), HttpStatusCode.Forbidden, "csrf_header_missing");
        await Expect.ProblemAsync(
            await browser.PostAsync(SessionApi.LogoutPath, configure: r => r.Headers.Add("Origin", "https://evil.example")),
            HttpStatusCode.Forbidden, "origin_not_allowed");

        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
    }

    [Fact]
    public async Task CrossSiteVerifyWithTheRightCodeCreatesNoSession()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("csrf-verify");
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var refused = await browser.PostAsync(AuthApi.VerifyPath, new { code = mail.Code }, configure: r => r.Headers.Add("Origin", "https://evil.example"));
        await Expect.ProblemAsync(refused, HttpStatusCode.Forbidden, "origin_not_allowed");
        Assert.Null(browser.Cookie(SessionKit.SessionCookieName));

        // Nothing was consumed: the same code still works from the right origin.
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnExtraAllowedOriginFromConfigurationIsAccepted()
    {
        var custom = new BffFactory(new Dictionary<string, string?> { ["Passwordless:AllowedOrigins:0"] = "https://app.example" });
        try
        {
            using var browser = custom.NewBrowser();

            var allowed = await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique("origin") },
                configure: r => r.Headers.Add("Origin", "https://app.example"));
            await Expect.StatusAsync(allowed, HttpStatusCode.OK);

            var stillForeign = await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique("origin") },
                configure: r => r.Headers.Add("Origin", "https://evil.example"));
            await Expect.ProblemAsync(stillForeign, HttpStatusCode.Forbidden, "origin_not_allowed");

            var ownOrigin = await browser.PostAsync(SessionApi.LogoutPath, configure: r => r.Headers.Add("Origin", "https://localhost"));
            await Expect.StatusAsync(ownOrigin, HttpStatusCode.NoContent);
        }
        finally
        {
            await ((IAsyncLifetime)custom).DisposeAsync();
        }
    }

    [Fact]
    public async Task AnExtraAllowedOriginIsNotAcceptedByTheDefaultConfiguration()
    {
        using var browser = factory.NewBrowser();

        var response = await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique("origin") },
            configure: r => r.Headers.Add("Origin", "https://app.example"));

        await Expect.ProblemAsync(response, HttpStatusCode.Forbidden, "origin_not_allowed");
    }

    private static object ValidBody(string path) => path switch
    {
        AuthApi.SendPath => new { email = Addresses.Unique("csrf") },
        AuthApi.VerifyPath => new { code = "123456" },
        _ => new { },
    };
}

public sealed class CsrfTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : CsrfTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class CsrfTestsOnRedis(Bff<RedisStore, Defaults> factory) : CsrfTests<Bff<RedisStore, Defaults>>(factory);

public sealed class CsrfTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory) : CsrfTests<Bff<RedisClusterStore, Defaults>>(factory);

public static class CsrfEndpoints
{
    public static TheoryData<string> Post => [AuthApi.SendPath, AuthApi.ResendPath, AuthApi.VerifyPath, SessionApi.LogoutPath];
}
