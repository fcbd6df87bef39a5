namespace PasswordlessBff.Storage.Sqlite;

// Session records in SQLite, read through the session cache (SessionCache, with SqliteCacheRule's trust).
public sealed class SqliteSessionStore(SqliteDatabase database, SessionCache cache) : ISessionStore
{
    public async Task CreateSessionAsync(SessionRecord session, CancellationToken ct)
    {
        await database.WriteAsync(connection =>
            connection.ExecuteAsync("""
                INSERT INTO sessions (id, email, return_to, device, created_at, absolute_expires_at, last_seen_at, revoked_at)
                VALUES ($id, $email, $returnTo, $device, $createdAt, $absoluteExpiresAt, $lastSeenAt, NULL)
                """, ct,
                ("$id", session.Id), ("$email", session.Email), ("$returnTo", session.ReturnTo), ("$device", session.Device),
                ("$createdAt", session.CreatedAt.ToUnixTimeMilliseconds()),
                ("$absoluteExpiresAt", session.AbsoluteExpiresAt.ToUnixTimeMilliseconds()),
                ("$lastSeenAt", session.LastSeenAt.ToUnixTimeMilliseconds())), ct);
        cache.Created(session, cache.Generation);
    }

    public async Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken ct)
    {
        if (cache.TryGet(sessionId, out var cached))
        {
            return cached;
        }
        var generation = cache.Generation;
        return cache.Put(sessionId, await ReadAsync(sessionId, ct), generation);
    }

    public async Task TouchSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct)
    {
        if (!cache.Seen(sessionId, now))
        {
            return;
        }
        await database.WriteAsync(connection => connection.ExecuteAsync(
            "UPDATE sessions SET last_seen_at = MAX(last_seen_at, $now) WHERE id = $id AND revoked_at IS NULL",
            ct, ("$id", sessionId), ("$now", now.ToUnixTimeMilliseconds())), ct);
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

    private Task<SessionRecord?> ReadAsync(string sessionId, CancellationToken ct) => database.RunAsync(async connection =>
    {
        await using var command = connection.Command("""
            SELECT email, return_to, device, created_at, absolute_expires_at, last_seen_at, revoked_at
            FROM sessions WHERE id = $id
            """, ("$id", sessionId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return new SessionRecord(sessionId, reader.GetString(0), reader.GetString(1), reader.ToNullableString(2),
            reader.ToTime(3), reader.ToTime(4), reader.ToTime(5), reader.ToNullableTime(6));
    }, ct);

    public async Task<IReadOnlyList<SessionRecord>> ListSessionsAsync(string email, DateTimeOffset now, CancellationToken ct)
    {
        var sessions = await database.RunAsync<List<SessionRecord>>(async connection =>
        {
            await using var command = connection.Command("""
                SELECT id, return_to, device, created_at, absolute_expires_at, last_seen_at
                FROM sessions WHERE email = $email AND revoked_at IS NULL AND absolute_expires_at > $now
                """, ("$email", email), ("$now", now.ToUnixTimeMilliseconds()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var sessions = new List<SessionRecord>();
            while (await reader.ReadAsync(ct))
            {
                sessions.Add(new SessionRecord(reader.GetString(0), email, reader.GetString(1), reader.ToNullableString(2),
                    reader.ToTime(3), reader.ToTime(4), reader.ToTime(5), RevokedAt: null));
            }
            return sessions;
        }, ct);
        return cache.WithLastSeen(sessions);
    }

    public async Task<int> RevokeOtherSessionsAsync(string email, string keepSessionId, DateTimeOffset now, CancellationToken ct)
    {
        cache.EvictOthers(email, keepSessionId);
        var revoked = await database.WriteAsync(connection => connection.ExecuteAsync(
            "UPDATE sessions SET revoked_at = $now WHERE email = $email AND id <> $keep AND revoked_at IS NULL",
            ct, ("$email", email), ("$keep", keepSessionId), ("$now", now.ToUnixTimeMilliseconds())), ct, durable: true);
        cache.EvictOthers(email, keepSessionId);
        return revoked;
    }
}
