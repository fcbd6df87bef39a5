using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Testing;

namespace PasswordlessBff.Tests.Proxy;

// SECURITY.md item 30 and docs/PROXY.md, over real sockets: the service on Kestrel in front of a real backend that
// validates the forwarded token with AddJwtBearer pointed at the service's metadata.
public sealed class ProxyTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    [Fact]
    public async Task ASignedInGetArrivesWithATokenTheBackendValidates()
    {
        var email = TestAddress.Unique("proxy");
        using var client = await fixture.SignedInAsync(email, "buyer");

        var echo = await client.EchoAsync(HttpMethod.Get, "/orders/42");

        Assert.True(echo.Authenticated, echo.Failure);
        Assert.Equal(email, echo.Email);
        Assert.Equal(TestBackend.Audience, echo.Aud);
        Assert.Equal(fixture.BaseAddress.ToString().TrimEnd('/'), echo.Iss);
        Assert.Equal(["buyer"], echo.Roles);
        Assert.False(string.IsNullOrEmpty(echo.Sub));
        Assert.False(string.IsNullOrEmpty(echo.Sid));
        Assert.InRange(echo.Exp!.Value - echo.Iat!.Value, 1, 300);
        Assert.Equal("/orders/42", echo.Path);
        using var me = await client.SendAsync(HttpMethod.Get, "/api/me");
        var identity = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(identity.GetProperty("userId").GetString(), echo.Sub);
    }

    [Fact]
    public async Task ASignedInPostWithTheCsrfHeaderArrivesWithAValidTokenAndItsBody()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"), "admin", "buyer");

        var echo = await client.EchoAsync(HttpMethod.Post, "/orders", JsonContent.Create(new { item = "book" }));

        Assert.True(echo.Authenticated, echo.Failure);
        Assert.Equal("POST", echo.Method);
        Assert.Equal(["admin", "buyer"], echo.Roles);
        Assert.True(echo.BodyLength > 0);
    }

    [Fact]
    public async Task WithoutASessionTheAnswerIs401AndTheBackendIsNeverCalled()
    {
        using var client = fixture.NewClient();
        var calls = fixture.Backend.Calls;

        await Expect.ProblemAsync(await client.SendAsync(HttpMethod.Get, "/orders/42"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await client.SendAsync(HttpMethod.Post, "/orders", new StringContent("{}")), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.ProblemAsync(await client.SendAsync(HttpMethod.Get, "/orders/42",
            configure: r => r.Headers.Add("Cookie", "__Host-pwl-session=forged")), HttpStatusCode.Unauthorized, "unauthenticated");

        Assert.Equal(calls, fixture.Backend.Calls);
    }

    [Fact]
    public async Task APostWithoutTheCsrfHeaderOrFromAForeignOriginIs403AndTheBackendIsNeverCalled()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));
        var calls = fixture.Backend.Calls;

        await Expect.ProblemAsync(await client.SendAsync(HttpMethod.Post, "/orders", new StringContent("{}"), csrf: false),
            HttpStatusCode.Forbidden, "csrf_header_missing");
        await Expect.ProblemAsync(await client.SendAsync(HttpMethod.Delete, "/orders/42",
            configure: r => r.Headers.Add("Origin", "https://evil.example")), HttpStatusCode.Forbidden, "origin_not_allowed");

        Assert.Equal(calls, fixture.Backend.Calls);
    }

    [Fact]
    public async Task TheBrowsersCookiesAuthorizationAndCsrfHeaderNeverReachTheBackend()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));

        var echo = await client.EchoAsync(HttpMethod.Post, "/orders", new StringContent("{}"), r =>
        {
            r.Headers.Remove("Cookie");
            r.Headers.Add("Cookie", $"team=one; {client.SessionCookie}; __Host-pwl-login=binding; other=two");
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer the-browsers-own");
            r.Headers.Add("X-Forwarded-For", "203.0.113.9");
            r.Headers.Add("X-Forwarded-Host", "evil.example");
        });

        Assert.True(echo.Authenticated, echo.Failure);
        Assert.Equal("team=one; other=two", echo.Cookie);
        Assert.DoesNotContain("the-browsers-own", echo.Authorization);
        Assert.Null(echo.Csrf);
        Assert.Equal("127.0.0.1", echo.ForwardedFor);
        Assert.Equal("http", echo.ForwardedProto);
        Assert.Equal(fixture.BaseAddress.Authority, echo.ForwardedHost);
    }

    [Fact]
    public async Task ABackendsAnswerPassesUnchangedExceptForOurCookies()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));

        using var response = await client.SendAsync(HttpMethod.Get, "/orders/own-headers");

        await Expect.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(["team=kept; Path=/"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal("public, max-age=60", response.Headers.CacheControl!.ToString());
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.Equal("<p>the backend's page</p>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ATwentyMegabyteUploadStreamsThrough()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));
        const int size = 20 * 1024 * 1024;

        using var response = await client.SendAsync(HttpMethod.Post, "/orders/upload", new StreamContent(new MemoryStream(new byte[size])));

        await Expect.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(size, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task ABodyOverTheRoutesOwnLimitIs413AndNeverForwarded()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));
        var calls = fixture.Backend.Calls;

        await Expect.ProblemAsync(await client.SendAsync(HttpMethod.Post, "/limited/x", new ByteArrayContent(new byte[2048])),
            HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        Assert.Equal(calls, fixture.Backend.Calls);
        Assert.Equal(1000, (await client.EchoAsync(HttpMethod.Post, "/limited/x", new ByteArrayContent(new byte[1000]))).BodyLength);
    }

    [Fact]
    public async Task ServerSentEventsArriveAsTheBackendWritesThem()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));

        using var response = await client.SendAsync(HttpMethod.Get, "/orders/events", completion: HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("data: first", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        fixture.Backend.SecondEvent.SetResult();
        Assert.Equal("", await reader.ReadLineAsync());
        Assert.Equal("data: second", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AWebSocketOpensThroughTheProxyWithTheSessionAndNotFromAForeignOrigin()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));
        var uri = new Uri($"ws://{fixture.BaseAddress.Authority}/orders/ws");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", client.SessionCookie);

        await socket.ConnectAsync(uri, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        using var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Cookie", client.SessionCookie);
        foreign.Options.SetRequestHeader("Origin", "https://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(uri, CancellationToken.None));
    }

    [Fact]
    public async Task ABackendThatIsDownGives502BackendUnavailable()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));

        await Expect.ProblemAsync(await client.SendAsync(HttpMethod.Get, "/down/anything"), HttpStatusCode.BadGateway, "backend_unavailable");
    }

    [Fact]
    public async Task ABackendThatDoesNotAnswerInTimeGives504BackendTimeout()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));

        await Expect.ProblemAsync(await client.SendAsync(HttpMethod.Get, "/slow/report"), HttpStatusCode.GatewayTimeout, "backend_timeout");
    }

    [Fact]
    public async Task ARouteThatNeedsARoleRefusesASessionWithoutOneAndNeverCallsTheBackend()
    {
        using var buyer = await fixture.SignedInAsync(TestAddress.Unique("proxy"), "buyer");
        using var support = await fixture.SignedInAsync(TestAddress.Unique("proxy"), "support");
        var calls = fixture.Backend.Calls;

        await Expect.ProblemAsync(await buyer.SendAsync(HttpMethod.Get, "/admin/users"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(calls, fixture.Backend.Calls);

        var echo = await support.EchoAsync(HttpMethod.Get, "/admin/users");
        Assert.True(echo.Authenticated, echo.Failure);
        // No Audience in the route's metadata: the cluster's id.
        Assert.Equal("orders", echo.Aud);
    }

    [Fact]
    public async Task AnAnonymousRoutePassesWithoutASessionAndCarriesNoIdentityAndNoCookieOfOurs()
    {
        using var client = fixture.NewClient();

        var echo = await client.EchoAsync(HttpMethod.Get, "/public/prices", configure: r =>
        {
            r.Headers.Add("Cookie", "__Host-pwl-session=whatever; team=one");
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer the-browsers-own");
        });

        Assert.False(echo.Authenticated);
        Assert.Null(echo.Authorization);
        Assert.Equal("team=one", echo.Cookie);
    }

    [Fact]
    public async Task TheTokenIsReusedUntilShortlyBeforeItExpiresThenMintedAfresh()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));

        var first = await client.EchoAsync(HttpMethod.Get, "/orders/1");
        fixture.Bff.Time.Advance(TimeSpan.FromMinutes(3));
        var second = await client.EchoAsync(HttpMethod.Get, "/orders/1");
        fixture.Bff.Time.Advance(TimeSpan.FromMinutes(1.5));
        var third = await client.EchoAsync(HttpMethod.Get, "/orders/1");

        Assert.Equal(first.Authorization, second.Authorization);
        Assert.NotEqual(first.Authorization, third.Authorization);
        Assert.True(third.Authenticated, third.Failure);
    }

    [Fact]
    public async Task ASignedOutSessionGetsNoMoreTokensEvenWhileOneIsCached()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));
        await client.EchoAsync(HttpMethod.Get, "/orders/1");
        var cookie = client.SessionCookie;
        await Expect.StatusAsync(await client.SendAsync(HttpMethod.Post, "/api/auth/logout"), HttpStatusCode.NoContent);
        var calls = fixture.Backend.Calls;

        await Expect.ProblemAsync(await client.SendAsync(HttpMethod.Get, "/orders/1", configure: r =>
        {
            r.Headers.Remove("Cookie");
            r.Headers.Add("Cookie", cookie);
        }), HttpStatusCode.Unauthorized, "unauthenticated");

        Assert.Equal(calls, fixture.Backend.Calls);
    }

    [Fact]
    public async Task TheSignInPageLearnsTheExampleBackendRouteAndCanCallIt()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("proxy"));

        var config = await client.Http.GetFromJsonAsync<JsonElement>("/api/ui/config");
        var path = config.GetProperty("exampleApiPath").GetString()!;

        Assert.True((await client.EchoAsync(HttpMethod.Get, path)).Authenticated);
    }

    [Fact]
    public async Task TheMetadataNamesTheIssuerAndTheKeysAreP256WithoutPrivateParts()
    {
        using var client = fixture.NewClient();

        var configuration = await client.Http.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        var keys = await client.Http.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");

        var issuer = fixture.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal(issuer, configuration.GetProperty("issuer").GetString());
        Assert.Equal(issuer + "/.well-known/jwks.json", configuration.GetProperty("jwks_uri").GetString());
        Assert.All(keys.GetProperty("keys").EnumerateArray(), key =>
        {
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.Equal("ES256", key.GetProperty("alg").GetString());
            Assert.False(key.TryGetProperty("d", out _));
        });
    }
}
