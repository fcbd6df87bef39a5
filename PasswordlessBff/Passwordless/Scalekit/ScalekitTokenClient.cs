using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;
using PasswordlessBff.Telemetry;

namespace PasswordlessBff.Passwordless.Scalekit;

// Client-credentials access token for the Scalekit API, shared by every call until shortly before it expires.
public sealed partial class ScalekitTokenClient(
    IHttpClientFactory httpClients,
    IOptions<ScalekitOptions> options,
    UpstreamMetrics metrics,
    TimeProvider time,
    ILogger<ScalekitTokenClient> logger) : IDisposable
{
    public const string HttpClientName = "Scalekit.Token";
    private const string Dependency = "Scalekit token endpoint";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CachedToken? _cached;

    public async Task<string> GetAsync(CancellationToken ct)
    {
        if (Current() is { } token)
        {
            return token;
        }
        await _gate.WaitAsync(ct);
        try
        {
            // Another caller may have fetched one while this one waited: one token request for many callers.
            return Current() ?? await FetchAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    // After a 401: replace the rejected token, unless a concurrent caller already has.
    public async Task<string> RefreshAsync(string rejected, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var current = Current();
            return current is not null && !string.Equals(current, rejected, StringComparison.Ordinal) ? current : await FetchAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Readiness: the token endpoint answers our credentials now; the fresh token is kept, not wasted.
    public async Task CheckAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await FetchAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private string? Current() => _cached is { } cached && time.GetUtcNow() < cached.RefreshAt ? cached.Value : null;

    private async Task<string> FetchAsync(CancellationToken ct)
    {
        var settings = options.Value;
        using var http = httpClients.CreateClient(HttpClientName);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.ClientId!,
            ["client_secret"] = settings.ClientSecret!,
        });
        using var activity = UpstreamMetrics.StartActivity(ScalekitClient.Upstream, "token");
        var started = metrics.Start();
        var outcome = "error";
        try
        {
            using var response = await http.PostAsync(new Uri("oauth/token", UriKind.Relative), form, ct);
            outcome = ScalekitClient.UpstreamOutcome(response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                LogTokenRefused(logger, (int)response.StatusCode);
                throw new DependencyUnavailableException(Dependency);
            }
            var token = await response.Content.ReadFromJsonAsync<ScalekitTokenResponse>(ScalekitJson.Options, ct);
            if (token is not { AccessToken.Length: > 0, ExpiresIn: > 0 })
            {
                throw new DependencyUnavailableException(Dependency);
            }
            var lifetime = TimeSpan.FromSeconds(token.ExpiresIn);
            var margin = lifetime > 2 * RefreshMargin ? RefreshMargin : lifetime / 2;
            _cached = new CachedToken(token.AccessToken, time.GetUtcNow() + lifetime - margin);
            LogTokenIssued(logger, token.ExpiresIn);
            return token.AccessToken;
        }
        catch (Exception e) when (ScalekitFailures.IsTransport(e, ct))
        {
            outcome = "error";
            throw new DependencyUnavailableException(Dependency, e);
        }
        finally
        {
            metrics.Record(ScalekitClient.Upstream, "token", started, outcome);
            if (outcome != "ok")
            {
                UpstreamMetrics.Fail(activity, outcome);
            }
        }
    }

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Obtained a Scalekit access token valid for {ExpiresIn} s")]
    private static partial void LogTokenIssued(ILogger logger, long expiresIn);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Scalekit refused the client credentials with status {Status}; check SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET")]
    private static partial void LogTokenRefused(ILogger logger, int status);
}

internal static class ScalekitFailures
{
    // Network errors, timeouts, an open circuit or a garbled answer: the caller sees upstream_unavailable.
    // A cancelled ct is the caller leaving, not an outage, and propagates as usual.
    public static bool IsTransport(Exception e, CancellationToken ct) => e switch
    {
        HttpRequestException or JsonException or Polly.ExecutionRejectedException => true,
        OperationCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };
}
