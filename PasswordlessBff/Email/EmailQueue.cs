using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Email;

public sealed record QueuedEmail(LoginEmail Email, long QueuedAt, EmailOrigin Origin);

// The request that asked for the email, kept for the sign-in policy hook and the audit trail: the queue is fed from
// inside that request, and the sender runs long after it.
public sealed record EmailOrigin(string? ClientAddress, string? UserAgent, string CorrelationId)
{
    public static readonly EmailOrigin Unknown = new(null, null, "unknown");

    public static EmailOrigin Of(HttpContext? context) => context is null ? Unknown : new(
        context.Connection.RemoteIpAddress?.ToString(),
        Policy.SignInPolicy.UserAgent(context.Request.Headers.UserAgent.ToString()),
        Auth.AuditPseudonyms.Correlation(context));
}

// Hands sign-in emails to the background sender so a request never waits on SMTP (SECURITY.md item 11). In memory:
// what it holds is lost with the process.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue, and says so.")]
public sealed class EmailQueue(IOptions<EmailOptions> options, EmailMetrics metrics, IHttpContextAccessor requests, TimeProvider time)
{
    private readonly Channel<QueuedEmail> _channel = Channel.CreateBounded<QueuedEmail>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    // False when the queue is full (the sender is far behind) or shutting down: the caller answers 503.
    public bool TryEnqueue(LoginEmail email)
    {
        var queued = _channel.Writer.TryWrite(new QueuedEmail(email, time.GetTimestamp(), EmailOrigin.Of(requests.HttpContext)));
        if (queued)
        {
            metrics.Queued.Add(1);
        }
        return queued;
    }

    public ChannelReader<QueuedEmail> Reader => _channel.Reader;

    public void Complete() => _channel.Writer.TryComplete();
}
