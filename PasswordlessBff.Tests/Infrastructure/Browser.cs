using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using PasswordlessBff.Auth;

namespace PasswordlessBff.Tests.Infrastructure;

// One browser: a cookie jar that can talk to any host (a restarted one, another instance) like a real browser would.
public sealed class Browser : IDisposable
{
    public static readonly Uri BaseAddress = new("https://localhost");

    public Browser(WebApplicationFactory<Program> factory, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        Http = factory.CreateDefaultClient(BaseAddress, new CookieContainerHandler(Cookies));
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http { get; }

    public string? Cookie(string name) => Cookies.GetCookies(BaseAddress)[name]?.Value;

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null, bool csrf = true, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (csrf)
        {
            request.Headers.Add("X-CSRF", "1");
        }
        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path);

    public async Task<SendResponse> SendAsync(string email, string? returnTo = null)
    {
        var response = await PostAsync(AuthApi.SendPath, new { email, returnTo });
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<SendResponse>())!;
    }

    public Task<HttpResponseMessage> VerifyCodeAsync(string code, string? authRequestId = null) =>
        PostAsync(AuthApi.VerifyPath, new { code, authRequestId });

    public Task<HttpResponseMessage> OpenLinkAsync(Uri link) => Http.GetAsync(link.PathAndQuery);

    public void Dispose() => Http.Dispose();
}
