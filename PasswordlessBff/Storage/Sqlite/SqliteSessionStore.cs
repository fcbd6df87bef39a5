using Microsoft.Data.Sqlite;

namespace PasswordlessBff.Storage.Sqlite;

// Session records in SQLite, read through the session cache (SessionCache, with SqliteCacheRule's trust, brought up to
// date with the change log by SqliteSessionChanges before a copy answers).
public sealed class SqliteSessionStore(SqliteDatabase database, SessionCache cache, SqliteSessionChanges changes, SqliteLastSeenWrites lastSeen)
    : ISessionStore
{
    private const string Columns = "id, email, return_to, device, created_at, absolute_expires_at, last_seen_at, revoked_at, user_id, roles, claims";

    public async Task CreateSessionAsync(SessionRecord session, CancellationToken ct)
    {
        await database.WriteAsync(connection =>
            connection.ExecuteAsync("""
                INSERT INTO sessions (id, email, return_to, device, created_at, absolute_expires_at, last_seen_at, revoked_at,
                                      user_id, roles, claims)
                VALUES ($id, $email, $returnTo, $device, $createdAt, $absoluteExpiresAt, $lastSeenAt, NULL, $userId, $roles, $claims)
                """, ct,
                ("$id", session.Id), ("$email", session.Email), ("$returnTo", session.ReturnTo), ("$device", session.Device),
                ("$createdAt", session.CreatedAt.ToUnixTimeMilliseconds()),
                ("$absoluteExpiresAt", session.AbsoluteExpiresAt.ToUnixTimeMilliseconds()),
                ("$lastSeenAt", session.LastSeenAt.ToUnixTimeMilliseconds()),
                ("$userId", session.User?.Id),
                ("$roles", session.User is null ? null : SessionUserText.Roles(session.User)),
                ("$claims", session.User is null ? null : SessionUserText.Claims(session.User))), ct);
        cache.Created(session, cache.Generation);
    }

    public async Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken ct)
    {
        await changes.CatchUpAsync(ct);
        if (cache.TryGet(sessionId, out var cached))
        {
            return cached;
        }
        var generation = cache.Generation;
        var read = await ReadAsync($"SELECT {Columns} FROM sessions WHERE id = $id", ct, ("$id", sessionId));
        return cache.Put(sessionId, read.SingleOrDefault(), generation);
    }

    public async Task TouchSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct)
    {
        if (!cache.Seen(sessionId, now))
        {
            return;
        }
        await lastSeen.WriteAsync(sessionId, now, ct);
        cache.Written(sessionId, now);
    }

    public async Task RevokeSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct)
    {
        cache.Evict(sessionId);
        await database.WriteAsync(connection => connection.ExecuteAsync(
            "UPDATE sessions SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL",
            ct, ("$id", sessionId), ("$now", now.ToUnixTimeMilliseconds())), ct, durable: true);
        cache.Evict(sessionId);
    }

    public async Task<IReadOnlyList<SessionRecord>> ListSessionsAsync(string email, DateTimeOffset now, CancellationToken ct) =>
        cache.WithLastSeen(await ReadAsync(
            $"SELECT {Columns} FROM sessions WHERE email = $email AND revoked_at IS NULL AND absolute_expires_at > $now",
            ct, ("$email", email), ("$now", now.ToUnixTimeMilliseconds())));

    public async Task<IReadOnlyList<SessionRecord>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken ct) =>
        cache.WithLastSeen(await ReadAsync(
            $"SELECT {Columns} FROM sessions WHERE user_id = $userId AND revoked_at IS NULL AND absolute_expires_at > $now",
            ct, ("$userId", userId), ("$now", now.ToUnixTimeMilliseconds())));

    public async Task<int> RevokeOtherSessionsAsync(string email, string keepSessionId, DateTimeOffset now, CancellationToken ct)
    {
        cache.EvictOthers(email, keepSessionId);
        var revoked = await database.WriteAsync(connection => connection.ExecuteAsync(
            "UPDATE sessions SET revoked_at = $now WHERE email = $email AND id <> $keep AND revoked_at IS NULL",
            ct, ("$email", email), ("$keep", keepSessionId), ("$now", now.ToUnixTimeMilliseconds())), ct, durable: true);
        cache.EvictOthers(email, keepSessionId);
        return revoked;
    }

    public async Task<int> RevokeUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken ct)
    {
        cache.EvictUser(userId);
        var revoked = await database.WriteAsync(connection => connection.ExecuteAsync(
            "UPDATE sessions SET revoked_at = $now WHERE user_id = $userId AND revoked_at IS NULL",
            ct, ("$userId", userId), ("$now", now.ToUnixTimeMilliseconds())), ct, durable: true);
        cache.EvictUser(userId);
        return revoked;
    }

    private Task<List<SessionRecord>> ReadAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters) =>
        database.RunAsync(async connection =>
        {
            await using var command = connection.Command(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var sessions = new List<SessionRecord>();
            while (await reader.ReadAsync(ct))
            {
                sessions.Add(Record(reader));
            }
            return sessions;
        }, ct);

    private static SessionRecord Record(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.ToNullableString(3),
        reader.ToTime(4), reader.ToTime(5), reader.ToTime(6), reader.ToNullableTime(7),
        SessionUserText.Parse(reader.ToNullableString(8), reader.ToNullableString(9), reader.ToNullableString(10)));
}
