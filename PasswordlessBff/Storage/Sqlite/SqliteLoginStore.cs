using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace PasswordlessBff.Storage.Sqlite;

public sealed class SqliteLoginStore(SqliteDatabase database) : ILoginStore
{
    public Task<EmailQuota> TryCountEmailAsync(byte[] addressKey, DateTimeOffset now, int limit, TimeSpan window, CancellationToken ct) =>
        database.WriteAsync(async connection =>
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
        }, ct);

    public Task CreateLoginAsync(PendingLogin login, CancellationToken ct) => database.WriteAsync(async connection =>
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync("""
            INSERT INTO logins (id, email, return_to, template, state, created_at, expires_at, completed_at, failed_attempts, locale, template_variables)
            VALUES ($id, $email, $returnTo, $template, $state, $createdAt, $expiresAt, NULL, 0, $locale, $templateVariables)
            """, ct,
            ("$locale", login.Locale),
            ("$templateVariables", login.TemplateVariables is null ? null : JsonSerializer.Serialize(login.TemplateVariables)),
            ("$id", login.Id), ("$email", login.Email), ("$returnTo", login.ReturnTo), ("$template", login.Template),
            ("$state", login.State), ("$createdAt", login.CreatedAt.ToUnixTimeMilliseconds()),
            ("$expiresAt", login.ExpiresAt.ToUnixTimeMilliseconds()));
        await InsertCredentialsAsync(connection, login.Id, login.Credentials, ct);
        await transaction.CommitAsync(ct);
    }, ct);

    public Task AddCredentialsAsync(string loginId, IReadOnlyList<StoredCredential> credentials, DateTimeOffset expiresAt, CancellationToken ct) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(
                "UPDATE logins SET expires_at = MAX(expires_at, $expiresAt) WHERE id = $id",
                ct, ("$id", loginId), ("$expiresAt", expiresAt.ToUnixTimeMilliseconds()));
            await InsertCredentialsAsync(connection, loginId, credentials, ct);
            await transaction.CommitAsync(ct);
        }, ct);

    public Task<PendingLogin?> GetLoginAsync(string loginId, CancellationToken ct) => database.RunAsync(async connection =>
    {
        var credentials = new List<StoredCredential>();
        await using (var command = connection.Command(
            "SELECT kind, hash, expires_at FROM login_credentials WHERE login_id = $id", ("$id", loginId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                credentials.Add(new StoredCredential((CredentialKind)reader.GetInt32(0), (byte[])reader[1], reader.ToTime(2)));
            }
        }
        await using var loginCommand = connection.Command("""
            SELECT email, return_to, template, state, created_at, expires_at, completed_at, failed_attempts, locale, template_variables
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

    public Task<int> RecordFailedAttemptAsync(string loginId, CancellationToken ct) => database.WriteAsync(connection =>
        connection.ScalarAsync<int>(
            "UPDATE logins SET failed_attempts = failed_attempts + 1 WHERE id = $id RETURNING failed_attempts",
            ct, ("$id", loginId)), ct);

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
