using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Storage.Sqlite;

// Session records in SQLite, read through an in-process cache so a session check usually costs no database access.
//
// One instance owns the file (docs/SCALING.md), so every write passes through here and the cache can stay exact:
// - logout evicts the record before and after it writes the revocation, and a read racing with it cannot put a stale
//   copy back (the generation counter, as in the Redis store);
// - last-seen is kept exact in memory on every use, so the idle timeout is exact while the process runs; the database
//   copy is written at most once per Storage__Sqlite__LastSeenWriteIntervalSeconds (60 s) per session, so after a
//   restart a session may end up to that much early, never late;
// - a copy is re-read after Storage__Sqlite__SessionCacheMilliseconds (250 ms) of real time, so a change made to the
//   file by anything else (another process on the same file, an operator's UPDATE) is honoured within that; 0 = off;
// - a copy is used only while the file has answered within the last second and its last access did not fail, so in an
//   outage session checks go to the file and fail closed (503) like every other request.
public sealed class SqliteSessionStore(SqliteDatabase database, IOptions<StorageOptions> storage, IOptions<Sessions.SessionOptions> sessions,
    TimeProvider time) : ISessionStore
{
    private const int MaxEntries = 100_000;
    private static readonly TimeSpan StoreConfirmation = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly long _cacheMilliseconds = storage.Value.Sqlite.SessionCacheMilliseconds;
    private readonly TimeSpan _lastSeenWriteInterval = TimeSpan.FromSeconds(storage.Value.Sqlite.LastSeenWriteIntervalSeconds);
    private readonly TimeSpan _idleTimeout = sessions.Value.IdleTimeout;
    private long _generation;

    // StoredLastSeen is what the database holds; Record.LastSeenAt may be newer. ReadAgainAt is real time (ticks):
    // it bounds how stale a copy may be against other writers, and must pass even while a test holds its clock still.
    private sealed record Entry(SessionRecord Record, DateTimeOffset FreshUntil, DateTimeOffset StoredLastSeen, long ReadAgainAt);

    private bool Enabled => _cacheMilliseconds > 0;

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
        // Cached exactly as a read would return it: the table keeps milliseconds.
        Put(session with
        {
            CreatedAt = Milliseconds(session.CreatedAt),
            AbsoluteExpiresAt = Milliseconds(session.AbsoluteExpiresAt),
            LastSeenAt = Milliseconds(session.LastSeenAt),
        }, previous: null, Interlocked.Read(ref _generation));
    }

    public async Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken ct)
    {
        _cache.TryGetValue(sessionId, out var previous);
        // Only while the file answers: in an outage session checks fail closed like everything else.
        if (previous is not null && time.GetUtcNow() < previous.FreshUntil && Environment.TickCount64 < previous.ReadAgainAt
            && database.ConfirmedWithin(StoreConfirmation))
        {
            return previous.Record;
        }
        var generation = Interlocked.Read(ref _generation);
        var record = await ReadAsync(sessionId, ct);
        if (record is null || record.RevokedAt is not null)
        {
            _cache.TryRemove(sessionId, out _);
            return record;
        }
        return Put(record, previous, generation);
    }

    public async Task TouchSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct)
    {
        // Only ever updates a cached copy, never adds one: a revocation that evicted it stays evicted.
        while (_cache.TryGetValue(sessionId, out var entry) && now > entry.Record.LastSeenAt)
        {
            var seen = entry with { Record = entry.Record with { LastSeenAt = now } };
            if (_cache.TryUpdate(sessionId, seen, entry))
            {
                break;
            }
        }
        if (_cache.TryGetValue(sessionId, out var current) && now - current.StoredLastSeen < _lastSeenWriteInterval)
        {
            return;
        }
        await database.WriteAsync(connection => connection.ExecuteAsync(
            "UPDATE sessions SET last_seen_at = MAX(last_seen_at, $now) WHERE id = $id AND revoked_at IS NULL",
            ct, ("$id", sessionId), ("$now", now.ToUnixTimeMilliseconds())), ct);
        if (_cache.TryGetValue(sessionId, out var written) && now > written.StoredLastSeen)
        {
            _cache.TryUpdate(sessionId, written with { StoredLastSeen = now }, written);
        }
    }

    public async Task RevokeSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct)
    {
        Evict(sessionId);
        await database.WriteAsync(connection => connection.ExecuteAsync(
            "UPDATE sessions SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL",
            ct, ("$id", sessionId), ("$now", now.ToUnixTimeMilliseconds())), ct, durable: true);
        Evict(sessionId);
    }

    // The generation moves first, so a read racing with this eviction cannot store its stale copy afterwards.
    private void Evict(string sessionId)
    {
        Interlocked.Increment(ref _generation);
        _cache.TryRemove(sessionId, out _);
    }

    private SessionRecord Put(SessionRecord record, Entry? previous, long generationAtRead)
    {
        var stored = record.LastSeenAt;
        // A re-read must not forget uses not yet written: the newer last-seen wins.
        if (previous is not null && previous.Record.LastSeenAt > record.LastSeenAt)
        {
            record = record with { LastSeenAt = previous.Record.LastSeenAt };
        }
        var now = time.GetUtcNow();
        var freshUntil = record.AbsoluteExpiresAt < record.LastSeenAt + _idleTimeout ? record.AbsoluteExpiresAt : record.LastSeenAt + _idleTimeout;
        if (!Enabled || freshUntil <= now)
        {
            return record;
        }
        if (_cache.Count >= MaxEntries)
        {
            Sweep(now);
        }
        _cache[record.Id] = new Entry(record, freshUntil, stored, Environment.TickCount64 + _cacheMilliseconds);
        // A revocation that arrived while we were reading wins: drop what we just stored.
        if (Interlocked.Read(ref _generation) != generationAtRead)
        {
            _cache.TryRemove(record.Id, out _);
        }
        return record;
    }

    // Ended sessions go first; if the cache is still full, it starts over (unwritten last-seen times are then lost,
    // which can end a session up to the write interval early, as a restart does).
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, entry) in _cache)
        {
            if (now >= entry.Record.AbsoluteExpiresAt || now >= entry.Record.LastSeenAt + _idleTimeout)
            {
                _cache.TryRemove(id, out _);
            }
        }
        if (_cache.Count >= MaxEntries)
        {
            Interlocked.Increment(ref _generation);
            _cache.Clear();
        }
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

    private static DateTimeOffset Milliseconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

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
        // Last-seen times not yet written to the file are in memory.
        return [.. sessions.Select(s => _cache.TryGetValue(s.Id, out var cached) && cached.Record.LastSeenAt > s.LastSeenAt
            ? s with { LastSeenAt = cached.Record.LastSeenAt }
            : s)];
    }

    public async Task<int> RevokeOtherSessionsAsync(string email, string keepSessionId, DateTimeOffset now, CancellationToken ct)
    {
        EvictOthers(email, keepSessionId);
        var revoked = await database.WriteAsync(connection => connection.ExecuteAsync(
            "UPDATE sessions SET revoked_at = $now WHERE email = $email AND id <> $keep AND revoked_at IS NULL",
            ct, ("$email", email), ("$keep", keepSessionId), ("$now", now.ToUnixTimeMilliseconds())), ct, durable: true);
        EvictOthers(email, keepSessionId);
        return revoked;
    }

    private void EvictOthers(string email, string keepSessionId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (id, entry) in _cache)
        {
            if (id != keepSessionId && string.Equals(entry.Record.Email, email, StringComparison.Ordinal))
            {
                _cache.TryRemove(id, out _);
            }
        }
    }
}
