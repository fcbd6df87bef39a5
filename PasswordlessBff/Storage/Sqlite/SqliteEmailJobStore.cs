using Microsoft.Data.Sqlite;

namespace PasswordlessBff.Storage.Sqlite;

// The email queue is a table: due_at is when a job is next due, either because it is ready or because its claim
// times out then; every change is one statement through the single writer.
public sealed class SqliteEmailJobStore(SqliteDatabase database) : IEmailJobStore
{
    // Called by SqliteLoginStore inside the transaction that writes the login or its new credentials.
    internal static Task InsertAsync(SqliteConnection connection, EmailJob job, CancellationToken ct) => connection.ExecuteAsync("""
        INSERT INTO email_jobs (id, login_id, payload, queued_at, expires_at, due_at)
        VALUES ($id, $login, $payload, $queuedAt, $expiresAt, $queuedAt)
        """, ct, ("$id", job.Id), ("$login", job.LoginId), ("$payload", job.Payload),
        ("$queuedAt", job.QueuedAt.ToUnixTimeMilliseconds()), ("$expiresAt", job.ExpiresAt.ToUnixTimeMilliseconds()));

    public Task<ClaimedEmailJob?> ClaimAsync(DateTimeOffset now, TimeSpan timeout, CancellationToken ct) => database.WriteAsync(async connection =>
    {
        var claim = Guid.NewGuid().ToString("N");
        await using var command = connection.Command("""
            UPDATE email_jobs SET due_at = $until, claim = $claim, claims = claims + 1
            WHERE id = (SELECT id FROM email_jobs WHERE uncertain_at IS NULL AND due_at <= $now ORDER BY due_at LIMIT 1)
            RETURNING id, login_id, payload, queued_at, expires_at, claims, sending_at
            """, ("$now", now.ToUnixTimeMilliseconds()), ("$until", (now + timeout).ToUnixTimeMilliseconds()), ("$claim", claim));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        var job = new EmailJob(reader.GetString(0), reader.GetString(1), (byte[])reader[2], reader.ToTime(3), reader.ToTime(4));
        return new ClaimedEmailJob(job, claim, reader.GetInt32(5), !reader.IsDBNull(6));
    }, ct);

    // Durable (fsync): of all the queue's writes this is the one a power cut must not lose.
    public Task<bool> MarkSendingAsync(string jobId, string claim, DateTimeOffset now, TimeSpan timeout, CancellationToken ct) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync(
            "UPDATE email_jobs SET sending_at = $now, due_at = $until WHERE id = $id AND claim = $claim",
            ct, Held(jobId, claim, now, timeout)) == 1, ct, durable: true);

    public Task<bool> MarkNotSentAsync(string jobId, string claim, DateTimeOffset now, TimeSpan timeout, CancellationToken ct) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync(
            "UPDATE email_jobs SET sending_at = NULL, due_at = $until WHERE id = $id AND claim = $claim",
            ct, Held(jobId, claim, now, timeout)) == 1, ct);

    public Task ReleaseAsync(string jobId, string claim, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(connection =>
        connection.ExecuteAsync("UPDATE email_jobs SET claim = NULL, sending_at = NULL, due_at = $now WHERE id = $id AND claim = $claim",
            ct, ("$id", jobId), ("$claim", claim), ("$now", now.ToUnixTimeMilliseconds())), ct);

    public Task FinishAsync(string jobId, string claim, CancellationToken ct) => database.WriteAsync(connection =>
        connection.ExecuteAsync("DELETE FROM email_jobs WHERE id = $id AND claim = $claim", ct, ("$id", jobId), ("$claim", claim)), ct);

    // The payload goes: a record of what happened needs no code or link.
    public Task MarkUncertainAsync(string jobId, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(connection =>
        connection.ExecuteAsync("UPDATE email_jobs SET uncertain_at = $now, claim = NULL, payload = x'' WHERE id = $id",
            ct, ("$id", jobId), ("$now", now.ToUnixTimeMilliseconds())), ct);

    public Task<EmailQueueStats> StatsAsync(DateTimeOffset now, CancellationToken ct) => database.RunAsync(async connection =>
    {
        await using var command = connection.Command("""
            SELECT COUNT(*), MIN(CASE WHEN due_at <= $now THEN due_at END) FROM email_jobs WHERE uncertain_at IS NULL
            """, ("$now", now.ToUnixTimeMilliseconds()));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var oldestDue = reader.ToNullableTime(1);
        return new EmailQueueStats(reader.GetInt64(0), oldestDue is { } due ? now - due : TimeSpan.Zero);
    }, ct);

    private static (string, object?)[] Held(string jobId, string claim, DateTimeOffset now, TimeSpan timeout) =>
        [("$id", jobId), ("$claim", claim), ("$now", now.ToUnixTimeMilliseconds()), ("$until", (now + timeout).ToUnixTimeMilliseconds())];
}
