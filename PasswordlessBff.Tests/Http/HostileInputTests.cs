using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Http;

// SECURITY.md item 25: every endpoint the app maps (read from its own routing, so new ones are covered) gets malformed
// bodies, queries and cookies, signed in and not; nothing answers 5xx, and bodies over 16 KiB get 413.
public abstract class HostileInputTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    private static readonly string[] Bodies =
    [
        """{"email":""", "not json", "", "[]", "[1,2,3]", "null", "\"a string\"", "123", "true",
        """{"email":5}""", """{"email":["a@example.com"]}""", """{"email":{"a":1}}""", """{"email":null}""",
        """{"code":true,"linkToken":1.5,"authRequestId":[]}""", """{"code":"12345\u0000"}""",
        """{"authRequestId":"\u0000\u0001\r\n\u001b[31m"}""", """{"email":"a@example.com\r\nBcc: victim@example.com"}""",
        """{"email":"\u0430dmin@ex\u0430mple.com"}""", """{"email":"\uff41\uff44\uff4d\uff49\uff4e@example.com"}""",
        """{"email":"admin\u202e@example.com"}""", """{"email":"\ud800@example.com"}""", """{"email":"a@example.com","returnTo":"javascript:alert(1)"}""",
        """{"email":"a@example.com","templateVariables":{"a":null,"b":{"c":1}}}""", """{"email":"a@example.com","locale":"\u0000"}""",
        """{"linkToken":"../../etc/passwd","authRequestId":"' OR 1=1 --"}""",
        new string('[', 5000) + new string(']', 5000), "{\"state\":\"" + new string('x', 15_000) + "\"}",
    ];

    private static readonly string[] Queries =
    [
        "?link_token=" + new string('A', 64_000), "?slide=maybe", "?slide=" + new string('x', 5000), "?link_token=%00%0d%0a",
        "?link_token=%E2%80%AE%F0%9F%92%A9", "?a[]=1&a[]=2&slide=true&slide=false", "?link_token=%", "?%%%=%%%",
    ];

    private static readonly string[] Cookies =
    [
        "__Host-pwl-session=garbage", "__Host-pwl-session=" + new string('e', 5000), "__Host-pwl-login=%%%not-protected",
        "__Host-pwl-session=a.b.c; __Host-pwl-login=a|b|c", "__Host-pwl-session=\u00e9\u00e8; __Host-pwl-login=",
    ];

    [Fact]
    public async Task NoMalformedInputToAnyEndpointProducesA5xx()
    {
        var endpoints = Endpoints();
        Assert.Contains(endpoints, e => e.Path == SessionApi.SessionsPath + "/x" && e.Method == "DELETE");
        using var browser = factory.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);
        var failures = new List<string>();

        foreach (var session in new string?[] { null, signedIn.SessionCookie })
        {
            foreach (var (method, path) in endpoints)
            {
                foreach (var request in Corpus(method, path))
                {
                    if (session is not null && !request.Headers.Contains("Cookie"))
                    {
                        request.Headers.Add("Cookie", $"{SessionKit.SessionCookieName}={session}");
                    }
                    var description = $"{method} {Shorten(request.RequestUri!.OriginalString)} body={Shorten(await ContentAsync(request))}";
                    var response = await Client.SendAsync(request);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{(int)response.StatusCode} for {description}: {Shorten(await response.Content.ReadAsStringAsync())}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryEndpointRefusesAOneMegabyteBodyWith413()
    {
        foreach (var (method, path) in Endpoints())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = new StringContent("{\"email\":\"" + new string('a', 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-CSRF", "1");

            var response = await Client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{method} {path} answered {(int)response.StatusCode}");
        }
    }

    private HttpClient Client => _client ??= factory.CreateDefaultClient(Browser.BaseAddress);

    private HttpClient? _client;

    // Every route the app maps, with parameters filled in; logout last so the signed-in pass keeps its session.
    private List<(string Method, string Path)> Endpoints()
    {
        var routes = factory.Services.GetServices<EndpointDataSource>().SelectMany(source => source.Endpoints).OfType<RouteEndpoint>();
        return [.. routes
            .SelectMany(route => (route.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Method: method, Path: "/" + System.Text.RegularExpressions.Regex.Replace(
                    route.RoutePattern.RawText!.TrimStart('/'), "{[^}]+}", "x"))))
            .Append((Method: "GET", Path: "/"))
            .Distinct()
            .OrderBy(e => e.Path.EndsWith("/logout", StringComparison.Ordinal))];
    }

    private static IEnumerable<HttpRequestMessage> Corpus(string method, string path)
    {
        foreach (var body in Bodies)
        {
            foreach (var contentType in new[] { "application/json", "text/plain", "application/x-www-form-urlencoded" })
            {
                yield return Request(method, path, body, contentType);
            }
        }
        foreach (var query in Queries)
        {
            yield return Request(method, path + query, null, null);
        }
        foreach (var cookie in Cookies)
        {
            var request = Request(method, path, "{}", "application/json");
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
            yield return request;
        }
    }

    private static HttpRequestMessage Request(string method, string path, string? body, string? contentType)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-CSRF", "1");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        return request;
    }

    private static async Task<string> ContentAsync(HttpRequestMessage request) =>
        request.Content is null ? "" : await request.Content.ReadAsStringAsync();

    private static string Shorten(string value) => value.Length <= 120 ? value : value[..120] + $"…({value.Length})";
}

public sealed class HostileInputTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : HostileInputTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class HostileInputTestsOnRedis(Bff<RedisStore, Defaults> factory) : HostileInputTests<Bff<RedisStore, Defaults>>(factory);

public sealed class HostileInputTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : HostileInputTests<Bff<RedisClusterStore, Defaults>>(factory);
