using Microsoft.Extensions.Options;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Email;

// The request that asked for the email, kept for the sign-in policy hook and the audit trail: the job is written from
// inside that request, and the sender runs long after it.
public sealed record EmailOrigin(string? ClientAddress, string? UserAgent, string CorrelationId)
{
    public static readonly EmailOrigin Unknown = new(null, null, "unknown");

    public static EmailOrigin Of(HttpContext? context) => context is null ? Unknown : new(
        context.Connection.RemoteIpAddress?.ToString(),
        Policy.SignInPolicy.UserAgent(context.Request.Headers.UserAgent.ToString()),
        Auth.AuditPseudonyms.Correlation(context));
}

// Hands sign-in emails to the background sender so a request never waits on SMTP (SECURITY.md item 11). Durable: the
// job is written by the store in the same write as its login (ILoginStore), so what was accepted survives a crash.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue, and says so.")]
public sealed class EmailQueue(IOptions<EmailOptions> options, EmailJobPayload payloads, EmailMetrics metrics, IHttpContextAccessor requests,
    TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _work = new(0);

    // The job for one email, protected, to be written with its login.
    public EmailJob NewJob(string loginId, LoginEmail email) => new(EmailJob.NewId(loginId), loginId,
        payloads.Protect(email, EmailOrigin.Of(requests.HttpContext)), time.GetUtcNow(), email.ExpiresAt);

    // The sender is far behind (as last measured, at most a poll interval ago): the caller answers 503 rather than
    // queue sign-in emails that would arrive long after they expire.
    public bool Full => metrics.Stats.Depth >= options.Value.QueueCapacity;

    // A job was committed: one worker here wakes at once instead of at its next poll.
    public void Queued()
    {
        metrics.Queued.Add(1);
        _work.Release();
    }

    // Until a job was queued here, or the timeout on the app's clock (a poll for others' jobs and timed-out claims).
    internal async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var poll = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, poll.Token);
        try
        {
            await _work.WaitAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            // The poll is due, or the service is stopping: the caller looks at the queue either way.
        }
    }

    public void Dispose() => _work.Dispose();
}
