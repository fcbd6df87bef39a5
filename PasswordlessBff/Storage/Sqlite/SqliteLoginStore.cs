using System.Text.Json;
using Microsoft.Data.Sqlite;
using PasswordlessBff.Limits;

namespace PasswordlessBff.Storage.Sqlite;

public sealed class SqliteLoginStore(SqliteDatabase database) : ILoginStore
{
    public Task<EmailQuota> TryCountEmailAsync(byte[] addressKey, DateTimeOffset now, int limit, TimeSpan window, CancellationToken ct) =>
        database.WriteAsync(connection => CountEmailAsync(connection, addressKey, now, limit, window, ct), ct);

    public Task CreateLoginAsync(PendingLogin login, CancellationToken ct) => database.WriteAsync(async connection =>
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await InsertLoginAsync(connection, login, ct);
        await transaction.CommitAsync(ct);
    }, ct);

    // One write through the single writer instead of two: the budget and the login commit together.
    public Task<EmailQuota> CreateLoginWithinQuotaAsync(PendingLogin login, byte[] addressKey, int limit, TimeSpan window, EmailJob? email,
        CancellationToken ct) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var quota = await CountEmailAsync(connection, addressKey, login.CreatedAt, limit, window, ct);
            if (quota.Allowed)
            {
                await InsertLoginAsync(connection, login, ct);
                if (email is not null)
                {
                    await SqliteEmailJobStore.InsertAsync(connection, email, ct);
                }
            }
            await transaction.CommitAsync(ct);
            return quota;
        }, ct);

    private static async Task<EmailQuota> CountEmailAsync(
        SqliteConnection connection, byte[] addressKey, DateTimeOffset now, int limit, TimeSpan window, CancellationToken ct)
    {
        var windowStart = (now - window).ToUnixTimeMilliseconds();
        // One statement: SQLite serialises writers, so the count and the insert cannot interleave.
        var inserted = await connection.ExecuteAsync("""
            INSERT INTO email_sends (address_key, sent_at)
            SELECT $key, $now
            WHERE (SELECT COUNT(*) FROM email_sends WHERE address_key = $key AND sent_at > $from) < $limit
            """, ct, ("$key", addressKey), ("$now", now.ToUnixTimeMilliseconds()), ("$from", windowStart), ("$limit", limit));
        if (inserted == 1)
        {
            return new EmailQuota(true, TimeSpan.Zero);
        }
        // The send that must leave the window before another is allowed.
        var blocking = await connection.ScalarAsync<long>("""
            SELECT sent_at FROM email_sends WHERE address_key = $key AND sent_at > $from
            ORDER BY sent_at DESC LIMIT 1 OFFSET $offset
            """, ct, ("$key", addressKey), ("$from", windowStart), ("$offset", limit - 1));
        var retryAfter = DateTimeOffset.FromUnixTimeMilliseconds(blocking) + window - now;
        return new EmailQuota(false, retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1));
    }

    private static async Task InsertLoginAsync(SqliteConnection connection, PendingLogin login, CancellationToken ct)
    {
        await connection.ExecuteAsync("""
            INSERT INTO logins (id, email, return_to, template, state, created_at, expires_at, completed_at, failed_attempts, locale, template_variables, last_sent_at,
                code_challenge, approval_number, asked_by, approval)
            VALUES ($id, $email, $returnTo, $template, $state, $createdAt, $expiresAt, NULL, 0, $locale, $templateVariables, $lastSentAt,
                $codeChallenge, $approvalNumber, $askedBy, $approval)
            """, ct,
            ("$approvalNumber", login.ApprovalNumber), ("$askedBy", login.AskedBy), ("$approval", (int)login.Approval),
            ("$codeChallenge", login.CodeChallenge),
            ("$lastSentAt", login.LastSentAt?.ToUnixTimeMilliseconds()),
            ("$locale", login.Locale),
            ("$templateVariables", login.TemplateVariables is null ? null : JsonSerializer.Serialize(login.TemplateVariables)),
            ("$id", login.Id), ("$email", login.Email), ("$returnTo", login.ReturnTo), ("$template", login.Template),
            ("$state", login.State), ("$createdAt", login.CreatedAt.ToUnixTimeMilliseconds()),
            ("$expiresAt", login.ExpiresAt.ToUnixTimeMilliseconds()));
        await InsertCredentialsAsync(connection, login.Id, login.Credentials, ct);
    }

    public Task AddCredentialsAsync(string loginId, IReadOnlyList<StoredCredential> credentials, DateTimeOffset expiresAt, EmailJob? email,
        CancellationToken ct) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(
                "UPDATE logins SET expires_at = MAX(expires_at, $expiresAt) WHERE id = $id",
                ct, ("$id", loginId), ("$expiresAt", expiresAt.ToUnixTimeMilliseconds()));
            await InsertCredentialsAsync(connection, loginId, credentials, ct);
            if (email is not null)
            {
                await SqliteEmailJobStore.InsertAsync(connection, email, ct);
            }
            await transaction.CommitAsync(ct);
        }, ct);

    public Task<ResendSlot> TryClaimResendAsync(string loginId, DateTimeOffset now, TimeSpan resendAfter, CancellationToken ct) =>
        database.WriteAsync(async connection =>
        {
            var parameters = new (string, object?)[]
            {
                ("$id", loginId), ("$now", now.ToUnixTimeMilliseconds()), ("$after", (long)resendAfter.TotalMilliseconds),
            };
            // One statement decides: SQLite serialises writers, so of concurrent resends only one moves last_sent_at.
            var claimed = await connection.ExecuteAsync("""
                UPDATE logins SET last_sent_at = $now
                WHERE id = $id AND COALESCE(last_sent_at, created_at) + $after <= $now
                """, ct, parameters) == 1;
            if (claimed)
            {
                return new ResendSlot(true, TimeSpan.Zero);
            }
            var lastSent = await connection.ScalarAsync<long>(
                "SELECT COALESCE(last_sent_at, created_at) FROM logins WHERE id = $id", ct, parameters);
            var wait = DateTimeOffset.FromUnixTimeMilliseconds(lastSent) + resendAfter - now;
            return new ResendSlot(false, wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
        }, ct);

    public Task<PendingLogin?> GetLoginAsync(string loginId, CancellationToken ct) => database.RunAsync(async connection =>
    {
        var credentials = new List<StoredCredential>();
        await using (var command = connection.Command(
            "SELECT kind, hash, expires_at FROM login_credentials WHERE login_id = $id ORDER BY rowid", ("$id", loginId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                credentials.Add(new StoredCredential((CredentialKind)reader.GetInt32(0), (byte[])reader[1], reader.ToTime(2)));
            }
        }
        await using var loginCommand = connection.Command("""
            SELECT email, return_to, template, state, created_at, expires_at, completed_at, failed_attempts, locale, template_variables, last_sent_at,
                code_challenge, approval_number, asked_by, approval
            FROM logins WHERE id = $id
            """, ("$id", loginId));
        await using var login = await loginCommand.ExecuteReaderAsync(ct);
        if (!await login.ReadAsync(ct))
        {
            return null;
        }
        return new PendingLogin(loginId, login.GetString(0), login.GetString(1), login.GetString(2), login.ToNullableString(3),
            login.ToTime(4), login.ToTime(5), !login.IsDBNull(6), login.GetInt32(7), credentials)
        {
            Locale = login.ToNullableString(8),
            TemplateVariables = login.ToNullableString(9) is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null,
            LastSentAt = login.ToNullableTime(10),
            CodeChallenge = login.ToNullableString(11),
            ApprovalNumber = login.ToNullableString(12),
            AskedBy = login.ToNullableString(13),
            Approval = (LoginApproval)login.GetInt32(14),
        };
    }, ct);

    public Task<LinkOwner?> FindLinkOwnerAsync(byte[] linkHash, CancellationToken ct) => database.RunAsync(async connection =>
    {
        await using var command = connection.Command(
            "SELECT login_id, expires_at FROM login_credentials WHERE hash = $hash AND kind = $kind",
            ("$hash", linkHash), ("$kind", (int)CredentialKind.Link));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new LinkOwner(reader.GetString(0), reader.ToTime(1)) : null;
    }, ct);

    public Task<bool> TryCompleteLoginAsync(string loginId, int maxFailedAttempts, DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync("""
            UPDATE logins SET completed_at = $now
            WHERE id = $id AND completed_at IS NULL AND failed_attempts < $max
            """, ct, ("$id", loginId), ("$now", now.ToUnixTimeMilliseconds()), ("$max", maxFailedAttempts)) == 1, ct);

    public Task<bool> TryDecideApprovalAsync(string loginId, LoginApproval decision, int maxFailedAttempts, CancellationToken ct) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync("""
            UPDATE logins SET approval = $decision,
                failed_attempts = CASE WHEN $decision = 2 THEN $max ELSE failed_attempts END
            WHERE id = $id AND approval = 0 AND completed_at IS NULL AND failed_attempts < $max
            """, ct, ("$id", loginId), ("$decision", (int)decision), ("$max", maxFailedAttempts)) == 1, ct);

    public Task<int> RecordFailedAttemptAsync(string loginId, CancellationToken ct) => database.WriteAsync(connection =>
        connection.ScalarAsync<int>(
            "UPDATE logins SET failed_attempts = failed_attempts + 1 WHERE id = $id RETURNING failed_attempts",
            ct, ("$id", loginId)), ct);

    public Task<AddressGate> TryPassAddressGateAsync(byte[] addressKey, DateTimeOffset now, AddressFailurePolicy policy, CancellationToken ct) =>
        database.WriteAsync(async connection =>
        {
            var parameters = Parameters(addressKey, now, policy);
            // One statement decides: SQLite serialises writers, so of concurrent guesses only one moves next_at.
            var passed = await connection.ExecuteAsync("""
                UPDATE address_failures SET next_at = $now + MIN($maxDelay, $firstDelay << MIN(failures - $free, 30))
                WHERE address_key = $key AND window_start > $from AND failures >= $free AND failures < $max AND next_at <= $now
                """, ct, parameters) == 1;
            if (passed)
            {
                return new AddressGate(true, TimeSpan.Zero);
            }
            // Not passed above: either no delay applies, or this is how long to wait.
            await using var command = connection.Command(
                "SELECT window_start, failures, next_at FROM address_failures WHERE address_key = $key AND window_start > $from", parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || reader.GetInt32(1) < policy.FreeFailures)
            {
                return new AddressGate(true, TimeSpan.Zero);
            }
            var until = reader.GetInt32(1) >= policy.MaxFailures ? reader.ToTime(0) + policy.Window : reader.ToTime(2);
            return new AddressGate(false, until > now ? until - now : TimeSpan.FromSeconds(1));
        }, ct);

    public Task RecordAddressFailureAsync(byte[] addressKey, DateTimeOffset now, AddressFailurePolicy policy, CancellationToken ct) =>
        database.WriteAsync(connection => connection.ExecuteAsync("""
            INSERT INTO address_failures (address_key, window_start, failures, next_at)
            VALUES ($key, $now, 1, CASE WHEN $free <= 1 THEN $now + $firstDelay ELSE 0 END)
            ON CONFLICT (address_key) DO UPDATE SET
              window_start = CASE WHEN window_start <= $from THEN $now ELSE window_start END,
              failures = CASE WHEN window_start <= $from THEN 1 ELSE failures + 1 END,
              next_at = CASE WHEN window_start <= $from OR failures + 1 < $free THEN 0
                        ELSE $now + MIN($maxDelay, $firstDelay << MIN(failures + 1 - $free, 30)) END
            """, ct, Parameters(addressKey, now, policy)), ct);

    public Task ClearAddressFailuresAsync(byte[] addressKey, CancellationToken ct) => database.WriteAsync(connection =>
        connection.ExecuteAsync("DELETE FROM address_failures WHERE address_key = $key", ct, ("$key", addressKey)), ct);

    private static (string, object?)[] Parameters(byte[] addressKey, DateTimeOffset now, AddressFailurePolicy policy) =>
    [
        ("$key", addressKey), ("$now", now.ToUnixTimeMilliseconds()), ("$from", (now - policy.Window).ToUnixTimeMilliseconds()),
        ("$free", policy.FreeFailures), ("$max", policy.MaxFailures),
        ("$firstDelay", (long)policy.FirstDelay.TotalMilliseconds), ("$maxDelay", (long)policy.MaxDelay.TotalMilliseconds),
    ];

    private static async Task InsertCredentialsAsync(SqliteConnection connection, string loginId, IReadOnlyList<StoredCredential> credentials, CancellationToken ct)
    {
        foreach (var credential in credentials)
        {
            await connection.ExecuteAsync(
                "INSERT INTO login_credentials (login_id, kind, hash, expires_at) VALUES ($id, $kind, $hash, $expiresAt)",
                ct, ("$id", loginId), ("$kind", (int)credential.Kind), ("$hash", credential.Hash),
                ("$expiresAt", credential.ExpiresAt.ToUnixTimeMilliseconds()));
        }
    }
}
