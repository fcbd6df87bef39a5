using System.Net.WebSockets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;

namespace PasswordlessBff.Tests.Proxy;

// What a backend saw of one request, as its echo route tells it.
public sealed record BackendEcho(
    bool Authenticated, string? Failure, string? Sub, string? Email, string? Sid, string[] Roles, string? Aud, string? Iss, string? Kid,
    long? Iat, long? Exp, string? Authorization, string? Cookie, string? Csrf, string? ForwardedFor, string? ForwardedProto,
    string? ForwardedHost, string Method, string Path, long BodyLength);

// The team's backend as a real second ASP.NET Core app on Kestrel (127.0.0.1), validating forwarded tokens exactly as
// docs/PROXY.md tells a team to: AddJwtBearer with the service as Authority. It reads token lifetimes on the test's
// fake clock, and never refreshes its keys on an unknown kid, so a rotation only works if the key was published first.
public sealed class TestBackend : IAsyncDisposable
{
    public const string Audience = "orders-api";
    private readonly WebApplication _app;
    private int _calls;

    private TestBackend(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public int Calls => Volatile.Read(ref _calls);

    // The server-sent events route writes its second event only once the test has read the first.
    public TaskCompletionSource SecondEvent { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TestBackend> StartAsync(string authority, TimeProvider time, int port)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.Authority = authority;
            o.RequireHttpsMetadata = false;
            o.MapInboundClaims = false;
            o.RefreshOnIssuerKeyNotFound = false;
            o.TokenValidationParameters.ValidAudiences = [Audience, "orders"];
            o.TokenValidationParameters.LifetimeValidator = (_, expires, _, _) => expires > time.GetUtcNow().UtcDateTime;
        });
        var app = builder.Build();
        var backend = new TestBackend(app, port);
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref backend._calls);
            return next(context);
        });
        app.UseWebSockets();
        app.MapPost("/orders/upload", async (HttpRequest request) => Results.Json(new { bytes = await DrainAsync(request.Body) }));
        app.MapGet("/orders/events", backend.EventsAsync);
        app.MapGet("/orders/own-headers", (HttpContext context) =>
        {
            context.Response.Headers.Append("Set-Cookie", "__Host-pwl-session=forged; Path=/; Secure; HttpOnly");
            context.Response.Headers.Append("Set-Cookie", "__Host-pwl-login=forged; Path=/; Secure; HttpOnly");
            context.Response.Headers.Append("Set-Cookie", "team=kept; Path=/");
            context.Response.Headers.CacheControl = "public, max-age=60";
            return Results.Content("<p>the backend's page</p>", "text/html");
        });
        app.Map("/orders/ws", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        });
        app.MapGet("/slow/{**rest}", async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            return "late";
        });
        app.MapFallback((Delegate)EchoAsync);
        await app.StartAsync();
        return backend;
    }

    private async Task EventsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync("data: first\n\n");
        await context.Response.Body.FlushAsync();
        await SecondEvent.Task.WaitAsync(TimeSpan.FromSeconds(15));
        SecondEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await context.Response.WriteAsync("data: second\n\n");
    }

    private static async Task<IResult> EchoAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        var length = await DrainAsync(context.Request.Body);
        var headers = context.Request.Headers;
        var raw = headers.Authorization.ToString();
        var token = raw.StartsWith("Bearer ", StringComparison.Ordinal) ? new JsonWebToken(raw["Bearer ".Length..]) : null;
        string? Claim(string type) => result.Principal?.FindFirst(type)?.Value;
        return Results.Json(new BackendEcho(
            result.Succeeded, result.Failure?.Message, Claim("sub"), Claim("email"), Claim("sid"),
            [.. result.Principal?.FindAll("roles").Select(c => c.Value) ?? []], Claim("aud"), Claim("iss"), token?.Kid,
            token?.TryGetPayloadValue<long>("iat", out var iat) == true ? iat : null,
            token?.TryGetPayloadValue<long>("exp", out var exp) == true ? exp : null,
            Nullable(headers.Authorization), Nullable(headers.Cookie), Nullable(headers["X-CSRF"]), Nullable(headers["X-Forwarded-For"]),
            Nullable(headers["X-Forwarded-Proto"]), Nullable(headers["X-Forwarded-Host"]), context.Request.Method, context.Request.Path, length));
    }

    private static string? Nullable(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 ? null : value.ToString();

    private static async Task<long> DrainAsync(Stream body)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
