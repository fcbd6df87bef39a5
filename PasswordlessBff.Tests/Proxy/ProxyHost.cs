using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Proxy;

// The service on Kestrel (127.0.0.1, test mode, fake clock) in front of a real TestBackend: routes to it with the
// conventions docs/PROXY.md describes, and one to a port nobody listens on.
public sealed class ProxyHost : BffFactory
{
    public ProxyHost(int port, IReadOnlyDictionary<string, string?> settings) : base(new SqliteStore(), settings)
    {
        Environment = "Testing";
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    public Uri BaseAddress { get; }
}

public class ProxyFixture : IAsyncLifetime
{
    public ProxyHost Bff { get; private set; } = null!;

    public TestBackend Backend { get; private set; } = null!;

    public Uri BaseAddress => Bff.BaseAddress;

    protected virtual IReadOnlyDictionary<string, string?> Extra => new Dictionary<string, string?>();

    public static Dictionary<string, string?> Routes(int bffPort, int backendPort, int deadPort) => new()
    {
        ["Passwordless:PublicBaseUrl"] = $"http://127.0.0.1:{bffPort}",
        ["Testing:Enabled"] = "true",
        ["Ui:ExampleApiPath"] = "/orders/recent",
        ["ReverseProxy:Routes:orders:ClusterId"] = "orders",
        ["ReverseProxy:Routes:orders:Match:Path"] = "/orders/{**rest}",
        ["ReverseProxy:Routes:orders:Metadata:Audience"] = TestBackend.Audience,
        ["ReverseProxy:Routes:admin:ClusterId"] = "orders",
        ["ReverseProxy:Routes:admin:Match:Path"] = "/admin/{**rest}",
        ["ReverseProxy:Routes:admin:Metadata:Roles"] = "admin, support",
        ["ReverseProxy:Routes:public:ClusterId"] = "orders",
        ["ReverseProxy:Routes:public:Match:Path"] = "/public/{**rest}",
        ["ReverseProxy:Routes:public:AuthorizationPolicy"] = "anonymous",
        ["ReverseProxy:Routes:limited:ClusterId"] = "orders",
        ["ReverseProxy:Routes:limited:Match:Path"] = "/limited/{**rest}",
        ["ReverseProxy:Routes:limited:MaxRequestBodySize"] = "1024",
        ["ReverseProxy:Routes:down:ClusterId"] = "down",
        ["ReverseProxy:Routes:down:Match:Path"] = "/down/{**rest}",
        ["ReverseProxy:Routes:slow:ClusterId"] = "slow",
        ["ReverseProxy:Routes:slow:Match:Path"] = "/slow/{**rest}",
        ["ReverseProxy:Clusters:slow:Destinations:one:Address"] = $"http://127.0.0.1:{backendPort}",
        ["ReverseProxy:Clusters:slow:HttpRequest:ActivityTimeout"] = "00:00:01",
        ["ReverseProxy:Clusters:orders:Destinations:one:Address"] = $"http://127.0.0.1:{backendPort}",
        ["ReverseProxy:Clusters:down:Destinations:one:Address"] = $"http://127.0.0.1:{deadPort}",
    };

    public async Task InitializeAsync()
    {
        var (bffPort, backendPort) = (FreePort.Next(), FreePort.Next());
        var settings = Routes(bffPort, backendPort, FreePort.Next());
        foreach (var (key, value) in Extra)
        {
            settings[key] = value;
        }
        Bff = new ProxyHost(bffPort, settings);
        Bff.StartServer();
        Backend = await TestBackend.StartAsync(Bff.BaseAddress.ToString().TrimEnd('/'), Bff.Time, backendPort);
    }

    public async Task DisposeAsync()
    {
        await Backend.DisposeAsync();
        await ((IAsyncLifetime)Bff).DisposeAsync();
    }

    public ProxyClient NewClient() => new(BaseAddress);

    public async Task<ProxyClient> SignedInAsync(string email, params string[] roles)
    {
        var client = NewClient();
        await client.SignInAsync(email, roles);
        return client;
    }
}

// A browser over plain http: HttpClient keeps Secure cookies to https, so the session cookie is carried by hand.
public sealed class ProxyClient(Uri baseAddress) : IDisposable
{
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public string? SessionCookie { get; private set; }

    public async Task SignInAsync(string email, string[] roles)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/testing/session", JsonContent.Create(new { email, roles }));
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        SessionCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-pwl-session=", StringComparison.Ordinal)).Split(';')[0];
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, bool csrf = true,
        Action<HttpRequestMessage>? configure = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (csrf && method != HttpMethod.Get)
        {
            request.Headers.Add("X-CSRF", "1");
        }
        if (SessionCookie is not null)
        {
            request.Headers.Add("Cookie", SessionCookie);
        }
        configure?.Invoke(request);
        return Http.SendAsync(request, completion);
    }

    public async Task<BackendEcho> EchoAsync(HttpMethod method, string path, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendAsync(method, path, content, configure: configure);
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<BackendEcho>())!;
    }

    public void Dispose() => Http.Dispose();
}
