using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PasswordlessBff.Sessions;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// This instance's copies of the session records it has read, so a session check usually costs no Redis round trip.
//
// Consistency model:
// - A revocation is written to Redis and published on a channel in one script; every instance evicts the record on
//   the message (milliseconds on a healthy network), and the revoking instance evicts before it even publishes.
// - The cache is trusted only while this instance's connections and its subscription are up. Any connection failure
//   clears it and turns it off until the connection is restored (and clears it again then), so a message missed
//   during an outage cannot leave a revoked session cached, and an outage fails session checks closed.
// - Whatever happens, no copy outlives SessionCacheSeconds, the session's absolute expiry or its idle expiry as
//   last read, so another instance's revocation or last-seen write is seen at the latest after that.
public sealed partial class SessionRecordCache : IDisposable
{
    public const string RevocationsChannel = "session-revocations";
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _brokenConnections = [];
    private readonly Lock _gate = new();
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionRecordCache> _logger;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _idleTimeout;
    private long _generation;
    private volatile bool _subscribed;
    private bool _started;

    public SessionRecordCache(RedisConnection redis, IOptions<StorageOptions> storage, IOptions<Sessions.SessionOptions> sessions,
        TimeProvider time, ILogger<SessionRecordCache> logger)
    {
        _redis = redis;
        _time = time;
        _logger = logger;
        _lifetime = TimeSpan.FromSeconds(storage.Value.Redis.SessionCacheSeconds);
        _idleTimeout = sessions.Value.IdleTimeout;
    }

    private sealed record Entry(SessionRecord Record, DateTimeOffset FreshUntil);

    // Read before going to Redis; a copy stored with an older generation than the current one is dropped.
    public long Generation => Interlocked.Read(ref _generation);

    private bool Trusted
    {
        get
        {
            if (!_subscribed || _lifetime <= TimeSpan.Zero || !_redis.Multiplexer.IsConnected)
            {
                return false;
            }
            lock (_gate)
            {
                return _brokenConnections.Count == 0;
            }
        }
    }

    public async Task StartAsync()
    {
        lock (_gate)
        {
            if (_started)
            {
                return;
            }
            _started = true;
        }
        var multiplexer = _redis.Multiplexer;
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        await SubscribeAsync();
    }

    public bool TryGet(string sessionId, out SessionRecord record)
    {
        record = null!;
        if (!Trusted || !_entries.TryGetValue(sessionId, out var entry) || _time.GetUtcNow() >= entry.FreshUntil)
        {
            return false;
        }
        record = entry.Record;
        return true;
    }

    public void Put(SessionRecord record, long generationAtRead)
    {
        var now = _time.GetUtcNow();
        var freshUntil = Earliest(now + _lifetime, record.AbsoluteExpiresAt, record.LastSeenAt + _idleTimeout);
        if (!Trusted || record.RevokedAt is not null || freshUntil <= now)
        {
            return;
        }
        if (_entries.Count >= MaxEntries)
        {
            Sweep(now);
        }
        _entries[record.Id] = new Entry(record, freshUntil);
        // A revocation that arrived while we were reading wins: drop what we just stored.
        if (Generation != generationAtRead)
        {
            _entries.TryRemove(record.Id, out _);
        }
    }

    public void LastSeen(string sessionId, DateTimeOffset lastSeen)
    {
        if (_entries.TryGetValue(sessionId, out var entry) && lastSeen > entry.Record.LastSeenAt)
        {
            _entries.TryUpdate(sessionId, entry with { Record = entry.Record with { LastSeenAt = lastSeen } }, entry);
        }
    }

    // The generation moves first, so a read racing with this eviction cannot store its stale copy afterwards.
    public void Evict(string sessionId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(sessionId, out _);
    }

    private void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, entry) in _entries)
        {
            if (now >= entry.FreshUntil)
            {
                _entries.TryRemove(id, out _);
            }
        }
        if (_entries.Count >= MaxEntries)
        {
            Clear();
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            await _redis.Multiplexer.GetSubscriber().SubscribeAsync(_redis.Channel(RevocationsChannel), (_, message) =>
            {
                if (!message.IsNullOrEmpty)
                {
                    Evict(message.ToString());
                }
            });
            _subscribed = true;
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            // The multiplexer keeps the subscription and restores it on reconnect; until then the cache stays off.
            LogSubscribeFailed(_logger, e);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        lock (_gate)
        {
            _brokenConnections.Add($"{e.EndPoint}/{e.ConnectionType}");
        }
        Clear();
        LogCacheOff(_logger, e.ConnectionType.ToString());
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        lock (_gate)
        {
            _brokenConnections.Remove($"{e.EndPoint}/{e.ConnectionType}");
        }
        Clear();
        if (!_subscribed)
        {
            _ = SubscribeAsync();
        }
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c) =>
        a < b ? (a < c ? a : c) : (b < c ? b : c);

    public void Dispose()
    {
        if (_started)
        {
            _redis.Multiplexer.ConnectionFailed -= OnConnectionFailed;
            _redis.Multiplexer.ConnectionRestored -= OnConnectionRestored;
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Subscribing to session revocations failed; session checks go to Redis until it returns")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Redis {ConnectionType} connection lost; the local session cache is off until it returns")]
    private static partial void LogCacheOff(ILogger logger, string connectionType);
}
