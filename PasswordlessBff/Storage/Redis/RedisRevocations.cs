using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// The session cache's rule on Redis, where several instances share the data:
// - A revocation is written to Redis and published on a channel in one script; every instance evicts the record on
//   the message (milliseconds on a healthy network), and the revoking instance evicts before it even publishes.
// - Copies are trusted only while this instance's connections and its subscription are up. Any connection failure
//   clears the cache and turns it off until the connection is restored (and clears it again then), so a message missed
//   during an outage cannot leave a revoked session cached, and an outage fails session checks closed.
// - Whatever happens, no copy outlives Storage__Redis__SessionCacheSeconds, so another instance's revocation or
//   last-seen write is seen at the latest after that.
public sealed partial class RedisRevocations(RedisConnection redis, IOptions<StorageOptions> storage, TimeProvider time,
    ILogger<RedisRevocations> logger) : ISessionCacheRule, IDisposable
{
    public const string Channel = "session-revocations";

    private readonly HashSet<string> _brokenConnections = [];
    private readonly Lock _gate = new();
    private SessionCache? _cache;
    private volatile bool _subscribed;

    public TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(storage.Value.Redis.SessionCacheSeconds);

    public TimeProvider Clock => time;

    public TimeSpan LastSeenWriteInterval { get; } = TimeSpan.FromSeconds(storage.Value.Redis.LastSeenWriteIntervalSeconds);

    public bool Trusted
    {
        get
        {
            if (!_subscribed || !redis.Multiplexer.IsConnected)
            {
                return false;
            }
            lock (_gate)
            {
                return _brokenConnections.Count == 0;
            }
        }
    }

    // The cache this rule keeps honest: revocation messages evict from it, connection events clear it.
    public async Task StartAsync(SessionCache cache)
    {
        lock (_gate)
        {
            if (_cache is not null)
            {
                return;
            }
            _cache = cache;
        }
        var multiplexer = redis.Multiplexer;
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        await SubscribeAsync();
    }

    private async Task SubscribeAsync()
    {
        try
        {
            await redis.Multiplexer.GetSubscriber().SubscribeAsync(redis.Channel(Channel), (_, message) =>
            {
                if (!message.IsNullOrEmpty)
                {
                    _cache?.Evict(message.ToString());
                }
            });
            _subscribed = true;
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            // The multiplexer keeps the subscription and restores it on reconnect; until then the cache stays off.
            LogSubscribeFailed(logger, e);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        lock (_gate)
        {
            _brokenConnections.Add($"{e.EndPoint}/{e.ConnectionType}");
        }
        _cache?.Clear();
        LogCacheOff(logger, e.ConnectionType.ToString());
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        lock (_gate)
        {
            _brokenConnections.Remove($"{e.EndPoint}/{e.ConnectionType}");
        }
        _cache?.Clear();
        if (!_subscribed)
        {
            _ = SubscribeAsync();
        }
    }

    public void Dispose()
    {
        if (_cache is not null)
        {
            redis.Multiplexer.ConnectionFailed -= OnConnectionFailed;
            redis.Multiplexer.ConnectionRestored -= OnConnectionRestored;
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Subscribing to session revocations failed; session checks go to Redis until it returns")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Redis {ConnectionType} connection lost; the local session cache is off until it returns")]
    private static partial void LogCacheOff(ILogger logger, string connectionType);
}
