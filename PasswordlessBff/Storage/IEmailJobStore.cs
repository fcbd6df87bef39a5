namespace PasswordlessBff.Storage;

// One sign-in email waiting to go out. Payload is protected by Data Protection: it holds the code and link, which the
// store must never hold in clear (SECURITY.md item 2); the login id and the times are not secret.
public sealed record EmailJob(string Id, string LoginId, byte[] Payload, DateTimeOffset QueuedAt, DateTimeOffset ExpiresAt)
{
    // A job's id starts with its login's, so a partitioned store (Redis Cluster) finds the job beside its login from
    // the id alone. The job's own part has no '.', so the last one splits them.
    public static string NewId(string loginId) => $"{loginId}.{Guid.NewGuid():N}";

    public static string LoginIdOf(string jobId) => jobId.LastIndexOf('.') is var dot and > 0 ? jobId[..dot] : jobId;
}

// A job this worker now holds until its claim times out. Claims counts every claim so far, this one included.
// MayHaveBeenSent: a worker that held it before had started SMTP DATA and never said how it ended, so it must never be
// delivered again (SECURITY.md item 15).
public sealed record ClaimedEmailJob(EmailJob Job, string Claim, int Claims, bool MayHaveBeenSent);

// Depth counts every job not yet finished; OldestDueAge is how long the longest-waiting due job has waited for a worker.
public sealed record EmailQueueStats(long Depth, TimeSpan OldestDueAge);

// The durable email queue's store side. Jobs are written by ILoginStore in the same write as their login (send) or
// credentials (resend); workers claim, deliver and finish them here. Every call that takes a claim does nothing and
// answers false when the claim is no longer the job's (it timed out and another worker holds the job).
public interface IEmailJobStore
{
    // The job that has been due longest, now held by the caller until now + timeout; null when none is due.
    Task<ClaimedEmailJob?> ClaimAsync(DateTimeOffset now, TimeSpan timeout, CancellationToken ct);

    // Written before SMTP DATA starts, so a worker that dies after it leaves a job no one delivers again.
    Task<bool> MarkSendingAsync(string jobId, string claim, DateTimeOffset now, TimeSpan timeout, CancellationToken ct);

    // Nothing can have reached the server (a refused connection, a 4xx): the job stays held, no longer sending.
    Task<bool> MarkNotSentAsync(string jobId, string claim, DateTimeOffset now, TimeSpan timeout, CancellationToken ct);

    // Handed back unsent (shutting down): due again at once, for this instance after a restart or any other.
    Task ReleaseAsync(string jobId, string claim, DateTimeOffset now, CancellationToken ct);

    // Delivered, or given up on: gone from the queue.
    Task FinishAsync(string jobId, string claim, CancellationToken ct);

    // DATA may have been accepted: kept out of the queue as a record (swept after a day), never delivered again.
    Task MarkUncertainAsync(string jobId, DateTimeOffset now, CancellationToken ct);

    Task<EmailQueueStats> StatsAsync(DateTimeOffset now, CancellationToken ct);
}
