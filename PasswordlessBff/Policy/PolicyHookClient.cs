using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace PasswordlessBff.Policy;

// The team's sign-in policy hook: one signed POST per event, one attempt (the resilience stack times it out and never
// retries), the answer read within its limits.
public sealed partial class PolicyHookClient(
    HttpClient http,
    IOptions<PolicyOptions> options,
    PolicyMetrics metrics,
    TimeProvider time,
    ILogger<PolicyHookClient> logger)
{
    public const string HttpClientName = "policy-hook";
    public const string SendEvent = "signin.send";
    public const string VerifyEvent = "signin.verify";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly Uri? _url = options.Value.Hook.Configured ? new Uri(options.Value.Hook.Url!) : null;
    private readonly WebhookSignature? _signature =
        WebhookSignature.TryDecodeSecret(options.Value.Hook.Secret, out var key) ? new WebhookSignature(key) : null;

    public bool Configured => _url is not null && _signature is not null;

    public async Task<HookAnswer> CallAsync(string type, HookEventData data, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var answer = await AskAsync(type, data, ct);
        metrics.HookCalled(type, answer, time.GetElapsedTime(started));
        if (answer is HookAnswer.Failed failed)
        {
            LogFailed(logger, type, failed.Reason);
        }
        return answer;
    }

    private async Task<HookAnswer> AskAsync(string type, HookEventData data, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var body = JsonSerializer.Serialize(new HookEvent(type, now, data), Json);
        var messageId = "msg_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        using var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Content = new StringContent(body, Encoding.UTF8, JsonContentType),
        };
        request.Headers.Add(WebhookSignature.IdHeader, messageId);
        request.Headers.Add(WebhookSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, _signature!.Sign(messageId, now, body));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                return new HookAnswer.Failed($"status {(int)response.StatusCode}");
            }
            if (response.Content.Headers.ContentLength > HookAnswerReader.MaxBytes)
            {
                return new HookAnswer.Failed($"malformed answer: over {HookAnswerReader.MaxBytes} bytes");
            }
            return HookAnswerReader.Read(await ReadAtMostAsync(response.Content, HookAnswerReader.MaxBytes + 1, ct));
        }
        catch (TimeoutRejectedException)
        {
            return new HookAnswer.Failed("timeout");
        }
        catch (HttpRequestException e)
        {
            return new HookAnswer.Failed($"unreachable ({e.HttpRequestError})");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new HookAnswer.Failed("timeout");
        }
    }

    // Never more than the limit in memory, whatever the hook streams.
    private static async Task<byte[]> ReadAtMostAsync(HttpContent content, int limit, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[limit];
        var read = 0;
        while (read < limit && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0)
        {
            read += n;
        }
        return buffer[..read];
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Sign-in policy hook gave no usable answer to {Event}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string @event, string reason);
}
