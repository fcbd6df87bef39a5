using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Scalekit;

// A Scalekit-compatible server on a free 127.0.0.1 port: the wire format of issue 3, with state (tokens, codes,
// attempts, expiry, per-address email limits) and counters, so tests see exactly what reached "Scalekit".
public sealed class FakeScalekit : IAsyncDisposable
{
    public const string ClientId = "skc_test_client";
    public const string ClientSecret = "test-secret";
    public const int MaxWrongCodes = 5;
    public const int EmailsPerMinute = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = [];
    private readonly Dictionary<string, AuthRequest> _requests = [];
    private readonly Dictionary<string, List<DateTimeOffset>> _emailsByAddress = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SentEmail> _sent = [];
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public FakeScalekit()
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.MapPost("/oauth/token", IssueTokenAsync);
        _app.MapPost("/api/v1/passwordless/email/{operation}", PasswordlessAsync);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    // The host's fake clock, so expiry moves with the service under test.
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public int TokenLifetimeSeconds { get; set; } = 86399;

    // Scalekit's "enforce same browser origin": link verification needs the auth_request_id.
    public bool EnforceSameBrowser { get; set; } = true;

    public bool FailSends { get; set; }

    public bool NewIdOnResend { get; set; }

    // A Scalekit that answers a verification with another address than the login was sent to.
    public string? VerifiedEmailOverride { get; set; }

    public int Calls(string endpoint) => _calls.GetValueOrDefault(endpoint);

    // As if Scalekit revoked every token it issued: the next API call is answered 401.
    public void RevokeTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    public IReadOnlyList<SentEmail> EmailsTo(string email)
    {
        lock (_gate)
        {
            return [.. _sent.Where(s => string.Equals(s.Email, email, StringComparison.OrdinalIgnoreCase))];
        }
    }

    public SentEmail LastEmailTo(string email) => EmailsTo(email) is { Count: > 0 } emails
        ? emails[^1]
        : throw new InvalidOperationException($"The fake Scalekit sent nothing to {email}.");

    private async Task<IResult> IssueTokenAsync(HttpRequest request)
    {
        _calls.AddOrUpdate("token", 1, (_, n) => n + 1);
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }
        var token = "tok_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        lock (_gate)
        {
            _tokens[token] = Time.GetUtcNow().AddSeconds(TokenLifetimeSeconds);
        }
        return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = TokenLifetimeSeconds, scope = "openid" });
    }

    private async Task<IResult> PasswordlessAsync(string operation, HttpRequest request)
    {
        _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
        lock (_gate)
        {
            var now = Time.GetUtcNow();
            var bearer = request.Headers.Authorization.ToString();
            if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal)
                || !_tokens.TryGetValue(bearer["Bearer ".Length..], out var expires) || now >= expires)
            {
                return Error(401, 16, "token is not valid");
            }
            return operation switch
            {
                "send" => Send(body, now),
                "resend" => Resend(body, now),
                "verify" => Verify(body, now),
                _ => Results.NotFound(),
            };
        }
    }

    private IResult Send(JsonElement body, DateTimeOffset now)
    {
        if (FailSends)
        {
            return Error(500, 13, "fake scalekit internal failure SECRET-UPSTREAM-TEXT");
        }
        var email = body.GetProperty("email").GetString()!;
        if (TryCountEmail(email, now) is { } limited)
        {
            return limited;
        }
        var request = new AuthRequest(NewId(), email, String(body, "state"), String(body, "template") ?? "SIGNIN",
            String(body, "magiclink_auth_uri"), body.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 300);
        _requests[request.Id] = request;
        return Issue(request, now);
    }

    private IResult Resend(JsonElement body, DateTimeOffset now)
    {
        var id = String(body, "auth_request_id");
        if (id is null || !_requests.TryGetValue(id, out var request) || request.Completed)
        {
            return Error(400, 3, "invalid auth request");
        }
        if (TryCountEmail(request.Email, now) is { } limited)
        {
            return limited;
        }
        if (NewIdOnResend)
        {
            _requests.Remove(id);
            request.Id = NewId();
            _requests[request.Id] = request;
        }
        return Issue(request, now);
    }

    private IResult Verify(JsonElement body, DateTimeOffset now)
    {
        var id = String(body, "auth_request_id");
        AuthRequest? request;
        Credential? credential;
        if (String(body, "code") is { } code)
        {
            if (id is null)
            {
                return Error(400, 3, "auth_request_id is required");
            }
            if (!_requests.TryGetValue(id, out request))
            {
                return Error(400, 3, "invalid auth request");
            }
            if (request.FailedAttempts >= MaxWrongCodes)
            {
                return Error(429, 8, "too many attempts");
            }
            credential = request.Credentials.FirstOrDefault(c => c.Code == code);
            if (credential is null)
            {
                request.FailedAttempts++;
                return request.FailedAttempts >= MaxWrongCodes ? Error(429, 8, "too many attempts") : Error(400, 3, "verification failed");
            }
        }
        else
        {
            var link = String(body, "link_token");
            request = _requests.Values.FirstOrDefault(r => r.Credentials.Any(c => c.LinkToken == link));
            if (request is null)
            {
                return Error(400, 3, "verification failed");
            }
            if (EnforceSameBrowser && id is null)
            {
                return Error(400, 3, "auth_request_id is required");
            }
            if (id is not null && id != request.Id)
            {
                return Error(400, 9, "verification failed: same browser origin mismatch", "SAME_BROWSER_ORIGIN_MISMATCH");
            }
            credential = request.Credentials.First(c => c.LinkToken == link);
        }
        if (request.Completed)
        {
            return Error(400, 3, "verification failed");
        }
        if (now >= credential.ExpiresAt)
        {
            return Error(400, 3, "verification failed: credential expired", "VERIFICATION_EXPIRED");
        }
        request.Completed = true;
        return Results.Json(new { email = VerifiedEmailOverride ?? request.Email, state = request.State, template = request.Template, passwordless_type = "LINK_OTP" }, Json);
    }

    private IResult? TryCountEmail(string email, DateTimeOffset now)
    {
        var sent = _emailsByAddress.TryGetValue(email, out var list) ? list : _emailsByAddress[email] = [];
        sent.RemoveAll(at => at <= now.AddMinutes(-1));
        if (sent.Count >= EmailsPerMinute)
        {
            var wait = (int)Math.Ceiling((sent[0].AddMinutes(1) - now).TotalSeconds);
            return Error(429, 8, "too many emails", retryAfterSeconds: wait);
        }
        sent.Add(now);
        return null;
    }

    private IResult Issue(AuthRequest request, DateTimeOffset now)
    {
        var credential = new Credential(
            RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture),
            Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant(),
            now.AddSeconds(request.ExpiresIn));
        request.Credentials.Add(credential);
        var link = request.MagiclinkAuthUri is null ? null : new Uri($"{request.MagiclinkAuthUri}?link_token={credential.LinkToken}");
        _sent.Add(new SentEmail(request.Email, request.Id, credential.Code, credential.LinkToken, link, request.Template, request.State, request.ExpiresIn));
        // expires_at is an int64: grpc-gateway writes it as a JSON string.
        return Results.Json(new
        {
            auth_request_id = request.Id,
            expires_at = credential.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            expires_in = request.ExpiresIn,
            passwordless_type = "LINK_OTP",
        }, Json);
    }

    private static IResult Error(int status, int grpcCode, string message, string? errorCode = null, int? retryAfterSeconds = null)
    {
        var details = errorCode is null
            ? Array.Empty<object>()
            : [new Dictionary<string, string> { ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo", ["error_code"] = errorCode }];
        var result = Results.Json(new { code = grpcCode, message, details }, statusCode: status);
        return retryAfterSeconds is { } wait ? new WithRetryAfter(result, wait) : result;
    }

    private static string? String(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string NewId() => "pwl_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record SentEmail(string Email, string AuthRequestId, string Code, string LinkToken, Uri? Link, string Template, string? State, int ExpiresIn);

    private sealed record Credential(string Code, string LinkToken, DateTimeOffset ExpiresAt);

    private sealed class AuthRequest(string id, string email, string? state, string template, string? magiclinkAuthUri, int expiresIn)
    {
        public string Id { get; set; } = id;
        public string Email { get; } = email;
        public string? State { get; } = state;
        public string Template { get; } = template;
        public string? MagiclinkAuthUri { get; } = magiclinkAuthUri;
        public int ExpiresIn { get; } = expiresIn;
        public List<Credential> Credentials { get; } = [];
        public int FailedAttempts { get; set; }
        public bool Completed { get; set; }
    }

    private sealed class WithRetryAfter(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
