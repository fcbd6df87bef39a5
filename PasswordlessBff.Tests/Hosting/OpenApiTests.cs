using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Hosting;

public sealed class OpenApiTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task EveryMappedApiEndpointIsInTheDocumentWithASummaryAndEveryPostDeclaresXCsrf()
    {
        var document = await DocumentAsync();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
                (Path: "/" + endpoint.RoutePattern.RawText!.Trim('/'), Method: method.ToLowerInvariant())))
            .ToList();
        Assert.Contains(routes, route => route == (AuthApi.SendPath, "post"));
        Assert.Contains(routes, route => route == (SessionApi.MePath, "get"));

        var paths = document.GetProperty("paths");
        foreach (var (path, method) in routes)
        {
            var operation = default(JsonElement);
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out operation), $"{method} {path} is missing");
            Assert.True(operation.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0, $"{method} {path} has no summary");
            if (method is "post" or "put" or "patch" or "delete")
            {
                var csrf = operation.GetProperty("parameters").EnumerateArray()
                    .SingleOrDefault(p => p.GetProperty("name").GetString() == "X-CSRF" && p.GetProperty("in").GetString() == "header");
                Assert.True(csrf.ValueKind == JsonValueKind.Object && csrf.GetProperty("required").GetBoolean(), $"{method} {path} does not require X-CSRF");
                Assert.Contains("csrf_header_missing", ProblemCodes(operation));
            }
        }
    }

    [Fact]
    public async Task OperationsListTheirProblemCodesAndProblemResponses()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var verify = paths.GetProperty(AuthApi.VerifyPath).GetProperty("post");
        Assert.Superset(new HashSet<string> { "validation_failed", "credential_invalid", "credential_expired", "too_many_attempts",
            "browser_mismatch", "auth_request_invalid", "rate_limited", "upstream_unavailable", "origin_not_allowed" }, ProblemCodes(verify).ToHashSet());
        var responses = verify.GetProperty("responses");
        Assert.Contains("too_many_attempts", responses.GetProperty("429").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(responses.GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.True(verify.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(verify.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));

        var me = paths.GetProperty(SessionApi.MePath).GetProperty("get");
        Assert.Contains("unauthenticated", ProblemCodes(me));
        Assert.True(me.GetProperty("security")[0].TryGetProperty("sessionCookie", out _));
    }

    [Fact]
    public async Task TheCookiesAreDescribedAsCookieSecuritySchemes()
    {
        var schemes = (await DocumentAsync()).GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("__Host-pwl-session", schemes.GetProperty("sessionCookie").GetProperty("name").GetString());
        Assert.Equal("cookie", schemes.GetProperty("sessionCookie").GetProperty("in").GetString());
        Assert.Equal("__Host-pwl-login", schemes.GetProperty("bindingCookie").GetProperty("name").GetString());
    }

    [Fact]
    public async Task TheReferenceUiIsNotServedOutsideDevelopment()
    {
        using var browser = factory.NewBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/scalar")).StatusCode);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var browser = factory.NewBrowser();
        var response = await browser.GetAsync("/openapi/v1.json");
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static List<string> ProblemCodes(JsonElement operation) =>
        operation.TryGetProperty("x-problem-codes", out var codes)
            ? codes.EnumerateArray().Select(code => code.GetProperty("code").GetString()!).ToList()
            : [];
}

public sealed class Development : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public static string Environment => "Development";
}

public sealed class ScalarTests(Bff<SqliteStore, Development> factory) : IClassFixture<Bff<SqliteStore, Development>>
{
    [Fact]
    public async Task InDevelopmentTheScalarReferenceUiIsServed()
    {
        using var browser = factory.NewBrowser();
        var page = await browser.GetAsync("/scalar");
        if (page.StatusCode == HttpStatusCode.Found)
        {
            // Scalar redirects its root to the page of the default document.
            page = await browser.GetAsync(page.Headers.Location!.ToString());
        }
        await Expect.StatusAsync(page, HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("PasswordlessBff API", html, StringComparison.Ordinal);
        Assert.Contains("openapi", html, StringComparison.OrdinalIgnoreCase);
    }
}
