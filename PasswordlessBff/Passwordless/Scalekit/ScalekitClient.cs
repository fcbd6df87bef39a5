using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using PasswordlessBff.Errors;
using PasswordlessBff.Telemetry;

namespace PasswordlessBff.Passwordless.Scalekit;

// Scalekit's passwordless email API. Each call reaches Scalekit at most once (plus once more only after a 401,
// which Scalekit answers before doing anything), so a send is never a duplicate email and a verify never burns twice.
public sealed partial class ScalekitClient(
    HttpClient http, ScalekitTokenClient tokens, UpstreamMetrics metrics, TimeProvider time, ILogger<ScalekitClient> logger)
{
    internal const string Upstream = "scalekit";

    public Task<ScalekitResult<ScalekitSendResponse>> SendAsync(ScalekitSendRequest request, CancellationToken ct) =>
        PostAsync<ScalekitSendRequest, ScalekitSendResponse>("send", request, ct);

    public Task<ScalekitResult<ScalekitSendResponse>> ResendAsync(ScalekitResendRequest request, CancellationToken ct) =>
        PostAsync<ScalekitResendRequest, ScalekitSendResponse>("resend", request, ct);

    public Task<ScalekitResult<ScalekitVerifyResponse>> VerifyAsync(ScalekitVerifyRequest request, CancellationToken ct) =>
        PostAsync<ScalekitVerifyRequest, ScalekitVerifyResponse>("verify", request, ct);

    private async Task<ScalekitResult<TResponse>> PostAsync<TRequest, TResponse>(string operation, TRequest body, CancellationToken ct)
    {
        try
        {
            var token = await tokens.GetAsync(ct);
            using var first = await PostOnceAsync(operation, body, token, ct);
            if (first.StatusCode != HttpStatusCode.Unauthorized)
            {
                return await ReadAsync<TResponse>(operation, first, ct);
            }
            LogTokenRejected(logger, operation);
            token = await tokens.RefreshAsync(token, ct);
            using var second = await PostOnceAsync(operation, body, token, ct);
            return await ReadAsync<TResponse>(operation, second, ct);
        }
        catch (DependencyUnavailableException)
        {
            return new ScalekitResult<TResponse>.Failed(ScalekitError.Unavailable);
        }
        catch (Exception e) when (ScalekitFailures.IsTransport(e, ct))
        {
            LogUnreachable(logger, operation, e.GetType().Name);
            return new ScalekitResult<TResponse>.Failed(ScalekitError.Unavailable);
        }
    }

    private async Task<HttpResponseMessage> PostOnceAsync<TRequest>(string operation, TRequest body, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"api/v1/passwordless/email/{operation}", UriKind.Relative))
        {
            Content = JsonContent.Create(body, options: ScalekitJson.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var activity = UpstreamMetrics.StartActivity(Upstream, operation);
        var started = metrics.Start();
        var outcome = "error";
        try
        {
            var response = await http.SendAsync(request, ct);
            outcome = UpstreamOutcome(response.StatusCode);
            return response;
        }
        finally
        {
            metrics.Record(Upstream, operation, started, outcome);
            if (outcome != "ok")
            {
                UpstreamMetrics.Fail(activity, outcome);
            }
        }
    }

    internal static string UpstreamOutcome(HttpStatusCode status) => (int)status switch
    {
        < 400 => "ok",
        < 500 and not 408 => "refused",
        _ => "error",
    };

    private async Task<ScalekitResult<TResponse>> ReadAsync<TResponse>(string operation, HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            var value = await response.Content.ReadFromJsonAsync<TResponse>(ScalekitJson.Options, ct);
            return value is null
                ? new ScalekitResult<TResponse>.Failed(ScalekitError.Unavailable)
                : new ScalekitResult<TResponse>.Ok(value);
        }
        var error = ScalekitError.From(response.StatusCode, await ReadErrorAsync(response, ct), response.Headers.RetryAfter, time.GetUtcNow());
        LogRefused(logger, operation, error.Status, error.Kind);
        return new ScalekitResult<TResponse>.Failed(error);
    }

    private static async Task<ScalekitErrorBody?> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ScalekitErrorBody>(ScalekitJson.Options, ct);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
        {
            // Not grpc-gateway JSON (a proxy's HTML page, say): classified by status alone.
            return null;
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Scalekit rejected the access token on {Operation}; fetching a new one and trying once more")]
    private static partial void LogTokenRejected(ILogger logger, string operation);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Scalekit answered {Operation} with {Status}, read as {Kind}")]
    private static partial void LogRefused(ILogger logger, string operation, int status, ScalekitErrorKind kind);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Scalekit could not be reached for {Operation} ({Failure})")]
    private static partial void LogUnreachable(ILogger logger, string operation, string failure);
}
