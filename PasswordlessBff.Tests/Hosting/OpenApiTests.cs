using System.Text.Json;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Hosting;

public sealed class OpenApiTests(BffFactory factory) : IClassFixture<BffFactory>
{
    [Theory]
    [InlineData("/api/auth/send", "post")]
    [InlineData("/api/auth/resend", "post")]
    [InlineData("/api/auth/verify", "get")]
    [InlineData("/api/auth/verify", "post")]
    [InlineData("/api/auth/session", "get")]
    [InlineData("/api/auth/logout", "post")]
    [InlineData("/api/auth/sessions", "get")]
    [InlineData("/api/auth/sessions/{id}", "delete")]
    [InlineData("/api/auth/sessions/revoke-others", "post")]
    [InlineData("/api/me", "get")]
    public async Task TheOpenApiDocumentDescribesEveryAuthEndpoint(string path, string method)
    {
        using var browser = factory.NewBrowser();
        var response = await browser.GetAsync("/openapi/v1.json");
        await Expect.StatusAsync(response, System.Net.HttpStatusCode.OK);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(document.GetProperty("paths").GetProperty(path).TryGetProperty(method, out _), $"{method} {path} is missing");
    }
}
