using System.Net;
using System.Text;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Http;

// API.md conventions and SECURITY.md item 23: caching, sniffing, referrers, body size, error shapes.
public abstract class ApiConventionTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task EveryAuthResponseCarriesCacheControlNoStore()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("cache");
        var responses = new List<HttpResponseMessage>
        {
            await browser.GetAsync(SessionApi.SessionPath),
            await browser.PostAsync(AuthApi.SendPath, new { email }),
        };
        var mail = await LoginMail.ReceiveAsync(factory, email);
        responses.Add(await browser.VerifyCodeAsync(mail.Code!));
        responses.Add(await browser.GetAsync(SessionApi.SessionPath));
        responses.Add(await browser.GetAsync(SessionApi.MePath));
        responses.Add(await browser.OpenLinkAsync(mail.Link!));
        responses.Add(await browser.PostAsync(SessionApi.LogoutPath));
        responses.Add(await browser.PostAsync(AuthApi.SendPath, new { email }, csrf: false));

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK,
             HttpStatusCode.SeeOther, HttpStatusCode.NoContent, HttpStatusCode.Forbidden],
            responses.Select(r => r.StatusCode));
        Assert.All(responses, r => Assert.True(r.Headers.CacheControl?.NoStore == true,
            $"{r.RequestMessage!.Method} {r.RequestMessage.RequestUri} answered Cache-Control: {r.Headers.CacheControl}"));
    }

    [Theory]
    [InlineData(SessionApi.SessionPath)]
    [InlineData(SessionApi.MePath)]
    [InlineData("/")]
    [InlineData("/healthz")]
    [InlineData("/no-such-page")]
    public async Task ResponsesCarryXContentTypeOptionsNosniff(string path)
    {
        using var browser = factory.NewBrowser();

        var response = await browser.GetAsync(path);

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Fact]
    public async Task MagicLinkLandingAnswersWithReferrerPolicyNoReferrer()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("referrer");
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        using var otherBrowser = factory.NewBrowser();
        var mismatch = await otherBrowser.OpenLinkAsync(mail.Link!);
        using var head = new HttpRequestMessage(HttpMethod.Head, mail.Link!.PathAndQuery);
        var probed = await otherBrowser.Http.SendAsync(head);
        var success = await browser.OpenLinkAsync(mail.Link!);
        var bogus = await browser.GetAsync(AuthApi.VerifyPath + "?link_token=not-a-real-token");

        await Expect.ApprovalPageAsync(mismatch);
        Assert.Equal(HttpStatusCode.SeeOther, success.StatusCode);
        Assert.NotNull(browser.Cookie(SessionKit.SessionCookieName));
        foreach (var response in new[] { mismatch, probed, success, bogus })
        {
            Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        }
    }

    [Fact]
    public async Task PostBodyOver16KiBIsRefusedWith413RequestTooLarge()
    {
        using var browser = factory.NewBrowser();
        var body = $$"""{"email":"{{new string('a', 17 * 1024)}}@example.com"}""";

        var response = await browser.PostAsync(AuthApi.SendPath, configure: r =>
            r.Content = new StringContent(body, Encoding.UTF8, "application/json"));

        await Expect.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Fact]
    public async Task PostBodyJustUnder16KiBIsNotRefusedForSize()
    {
        using var browser = factory.NewBrowser();
        var body = $$"""{"email":"{{Addresses.Unique("size")}}","state":"x"}""";
        body = body.Insert(body.Length - 1, new string(' ', 16 * 1024 - Encoding.UTF8.GetByteCount(body)));

        var response = await browser.PostAsync(AuthApi.SendPath, configure: r =>
            r.Content = new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(16 * 1024, Encoding.UTF8.GetByteCount(body));
        await Expect.StatusAsync(response, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(AuthApi.SendPath, """{"email":""")]
    [InlineData(AuthApi.SendPath, """not json""")]
    [InlineData(AuthApi.VerifyPath, """{"code":123456""")]
    [InlineData(AuthApi.VerifyPath, """["code"]""")]
    public async Task MalformedJsonIsRefusedWith400ValidationFailed(string path, string body)
    {
        using var browser = factory.NewBrowser();

        var response = await browser.PostAsync(path, configure: r =>
            r.Content = new StringContent(body, Encoding.UTF8, "application/json"));

        await Expect.ProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("*/*")]
    // What a browser sends on a top-level navigation: where a cookie-auth scheme would redirect to a login page.
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [InlineData("text/html")]
    public async Task UnauthenticatedProtectedRouteAnswersJson401NeverARedirect(string? accept)
    {
        using var browser = factory.NewBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Get, SessionApi.MePath);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await browser.Http.SendAsync(request);

        await Expect.ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Null(response.Headers.Location);
        // A routine 401 is not an error for operators.
        Assert.DoesNotContain(factory.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("Unauthenticated", StringComparison.Ordinal));
    }
}

public sealed class ApiConventionTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : ApiConventionTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class ApiConventionTestsOnRedis(Bff<RedisStore, Defaults> factory) : ApiConventionTests<Bff<RedisStore, Defaults>>(factory);

public sealed class ApiConventionTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : ApiConventionTests<Bff<RedisClusterStore, Defaults>>(factory);
