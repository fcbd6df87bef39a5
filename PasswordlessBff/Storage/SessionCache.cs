using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Storage;

// When a cached session record may answer for the store: each store has its own reason to doubt a copy.
public interface ISessionCacheRule
{
    // How long a copy answers before it is read again, by Clock; zero turns the cache off.
    TimeSpan Lifetime { get; }

    TimeProvider Clock { get; }

    // Sliding the idle timeout writes last-seen to the store at most this often per session (memory keeps it exact).
    TimeSpan LastSeenWriteInterval { get; }

    // False while the store cannot vouch for copies (an outage, a lost revocation channel): none is used or kept.
    bool Trusted { get; }
}

// This instance's copies of the session records it has read, so a session check usually costs no store access.
// - A revocation evicts the copy before and after it is written, and a read racing with it cannot put a stale copy
//   back: the generation moves first, and a copy stored by a read that began before the move is dropped.
// - Last-seen is kept exact here on every use; the store's copy is written at most once per write interval, so after
//   a restart (or on another instance) a session may end up to that interval early, never late.
// - A copy answers only while the rule trusts it, for at most the rule's lifetime, and never past the session's
//   absolute or idle expiry; at 250,000 copies ended ones go, and if that is not enough the cache starts over.
public sealed class SessionCache(ISessionCacheRule rule, IOptions<Sessions.SessionOptions> sessions, TimeProvider time)
{
    // Above the 100,000 signed-in sessions bench/sessions.sh checks (about 0.5 KB a copy, docs/BENCHMARKS.md).
    private const int MaxEntries = 250_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _idleTimeout = sessions.Value.IdleTimeout;
    private long _generation;
    private int _putsSinceCount;

    // StoredLastSeen is what the store holds; Record.LastSeenAt may be newer. ReadAt is a timestamp of rule.Clock.
    private sealed record Entry(SessionRecord Record, DateTimeOffset StoredLastSeen, long ReadAt);

    // Read before going to the store; pass it to Put with what the store returned.
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string sessionId, [NotNullWhen(true)] out SessionRecord? record)
    {
        record = _entries.TryGetValue(sessionId, out var entry) && Answers(entry, time.GetUtcNow()) && rule.Trusted ? entry.Record : null;
        return record is not null;
    }

    // A session just written: cached exactly as a read would return it (both stores keep milliseconds).
    public void Created(SessionRecord session, long generationAtWrite) => Put(session.Id, session with
    {
        CreatedAt = Milliseconds(session.CreatedAt),
        AbsoluteExpiresAt = Milliseconds(session.AbsoluteExpiresAt),
        LastSeenAt = Milliseconds(session.LastSeenAt),
    }, generationAtWrite);

    // What the store returned for a read begun at generationAtRead, with the newest last-seen this instance knows.
    public SessionRecord? Put(string sessionId, SessionRecord? record, long generationAtRead)
    {
        _entries.TryGetValue(sessionId, out var previous);
        var now = time.GetUtcNow();
        if (record is null || record.RevokedAt is not null || rule.Lifetime <= TimeSpan.Zero || !rule.Trusted)
        {
            _entries.TryRemove(sessionId, out _);
            return record;
        }
        // The store's last-seen only moves forward, so the later of the two is what it holds.
        var stored = previous is not null && previous.StoredLastSeen > record.LastSeenAt ? previous.StoredLastSeen : record.LastSeenAt;
        if (previous is not null && previous.Record.LastSeenAt > record.LastSeenAt)
        {
            record = record with { LastSeenAt = previous.Record.LastSeenAt };
        }
        if (!Live(record, now))
        {
            _entries.TryRemove(sessionId, out _);
            return record;
        }
        // A re-read that found nothing new keeps the cached record: the fresh copy then dies young instead of leaving the
        // old one as old-generation garbage once a minute per session (bench/soak.sh at 100,000 sessions).
        if (previous is not null && previous.Record == record)
        {
            record = previous.Record;
        }
        // Counted every 1,024th copy: Count takes every lock of the dictionary (the 100,000-session profile).
        if (Interlocked.Increment(ref _putsSinceCount) % 1024 == 0 && _entries.Count >= MaxEntries)
        {
            Sweep(now);
        }
        _entries[sessionId] = new Entry(record, stored, rule.Clock.GetTimestamp());
        // A revocation that arrived while we were reading wins: drop what we just stored.
        if (Generation != generationAtRead)
        {
            _entries.TryRemove(sessionId, out _);
        }
        return record;
    }

    // A use at now: kept exact here; true when the store's last-seen is due for a write.
    public bool Seen(string sessionId, DateTimeOffset now)
    {
        while (_entries.TryGetValue(sessionId, out var entry) && now > entry.Record.LastSeenAt)
        {
            if (_entries.TryUpdate(sessionId, entry with { Record = entry.Record with { LastSeenAt = now } }, entry))
            {
                break;
            }
        }
        return !_entries.TryGetValue(sessionId, out var current) || now - current.StoredLastSeen >= rule.LastSeenWriteInterval;
    }

    // The store now holds lastSeen.
    public void Written(string sessionId, DateTimeOffset lastSeen)
    {
        while (_entries.TryGetValue(sessionId, out var entry) && lastSeen > entry.StoredLastSeen)
        {
            var record = lastSeen > entry.Record.LastSeenAt ? entry.Record with { LastSeenAt = lastSeen } : entry.Record;
            if (_entries.TryUpdate(sessionId, entry with { Record = record, StoredLastSeen = lastSeen }, entry))
            {
                break;
            }
        }
    }

    // The generation moves first, so a read racing with this eviction cannot store its stale copy afterwards.
    public void Evict(string sessionId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(sessionId, out _);
    }

    // Several at once, as a change log names them: one generation move for all.
    public void EvictAll(IEnumerable<string> sessionIds)
    {
        Interlocked.Increment(ref _generation);
        foreach (var id in sessionIds)
        {
            _entries.TryRemove(id, out _);
        }
    }

    public void EvictOthers(string email, string keepSessionId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (id, entry) in _entries)
        {
            if (id != keepSessionId && string.Equals(entry.Record.Email, email, StringComparison.Ordinal))
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    public void EvictUser(string userId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (id, entry) in _entries)
        {
            if (string.Equals(entry.Record.User?.Id, userId, StringComparison.Ordinal))
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    // Unwritten last-seen times are lost, which can end a session up to the write interval early, as a restart does.
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    // Last-seen times not yet written to the store are here.
    public IReadOnlyList<SessionRecord> WithLastSeen(IEnumerable<SessionRecord> sessions) =>
    [
        .. sessions.Select(s => _entries.TryGetValue(s.Id, out var cached) && cached.Record.LastSeenAt > s.LastSeenAt
            ? s with { LastSeenAt = cached.Record.LastSeenAt }
            : s),
    ];

    private bool Answers(Entry entry, DateTimeOffset now) => Fresh(entry) && Live(entry.Record, now);

    private bool Fresh(Entry entry) => rule.Clock.GetElapsedTime(entry.ReadAt) < rule.Lifetime;

    private bool Live(SessionRecord record, DateTimeOffset now) =>
        now < record.AbsoluteExpiresAt && now < record.LastSeenAt + _idleTimeout;

    // Ended sessions go, and stale copies with no unwritten last-seen; if the cache is still full, it starts over.
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, entry) in _entries)
        {
            if (!Live(entry.Record, now) || (!Fresh(entry) && entry.Record.LastSeenAt <= entry.StoredLastSeen))
            {
                _entries.TryRemove(id, out _);
            }
        }
        if (_entries.Count >= MaxEntries)
        {
            Clear();
        }
    }

    private static DateTimeOffset Milliseconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
