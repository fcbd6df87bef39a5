using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// The session cache's rule on Redis, where several instances share the data:
// - A revocation is written to Redis and published on a channel in one script; every instance evicts the record on
//   the message (milliseconds on a healthy network), and the revoking instance evicts before it even publishes.
// - Copies are trusted only while this instance's connections are up and its subscription is confirmed: this instance
//   received its own probe on the channel. Any connection failure clears the cache and turns it off; once the
//   connection is restored the cache is cleared again and stays off until a fresh probe comes back, because the
//   multiplexer resubscribes in the background and a revocation published before that would be missed.
// - Whatever happens, no copy outlives Storage__Redis__SessionCacheSeconds (5 s), so another instance's revocation or
//   last-seen write is seen at the latest after that, even when its message was lost without a connection event.
public sealed partial class RedisRevocations(RedisConnection redis, IOptions<StorageOptions> storage, TimeProvider time,
    ILogger<RedisRevocations> logger) : ISessionCacheRule, IDisposable
{
    public const string Channel = "session-revocations";

    private readonly HashSet<string> _brokenConnections = [];
    private readonly Lock _gate = new();
    // Probes share the channel with session ids, which never start with this.
    private const string ProbePrefix = "probe:";
    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeRetry = TimeSpan.FromMilliseconds(100);

    private SessionCache? _cache;
    private volatile bool _subscribed;
    private volatile bool _confirmed;
    private volatile Probe? _probe;
    private int _confirming;
    private long _connectionEvents;
    private volatile bool _disposed;

    public TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(storage.Value.Redis.SessionCacheSeconds);

    public TimeProvider Clock => time;

    public TimeSpan LastSeenWriteInterval { get; } = TimeSpan.FromSeconds(storage.Value.Redis.LastSeenWriteIntervalSeconds);

    public bool Trusted
    {
        get
        {
            if (!_confirmed || !redis.Multiplexer.IsConnected)
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
                if (message.IsNullOrEmpty)
                {
                    return;
                }
                var text = message.ToString();
                if (text.StartsWith(ProbePrefix, StringComparison.Ordinal))
                {
                    // Other instances' probes pass by too; only this instance's own counts.
                    if (_probe is { } probe && probe.Nonce == text)
                    {
                        probe.Returned.TrySetResult();
                    }
                    return;
                }
                _cache?.Evict(text);
            });
            _subscribed = true;
            _ = ConfirmAsync();
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            // The multiplexer keeps the subscription and restores it on reconnect; until then the cache stays off.
            LogSubscribeFailed(logger, e);
        }
    }

    // Publishes a probe and waits for it to come back through the subscription, until it does or the connection fails
    // again (the next restore starts over). One confirmation runs at a time.
    private async Task ConfirmAsync()
    {
        if (Interlocked.Exchange(ref _confirming, 1) == 1)
        {
            return;
        }
        try
        {
            while (!_confirmed && !_disposed && redis.Multiplexer.IsConnected)
            {
                // A probe confirms only if no connection failed or came back while it travelled.
                var events = Interlocked.Read(ref _connectionEvents);
                var probe = new Probe(ProbePrefix + Guid.NewGuid().ToString("N"));
                _probe = probe;
                try
                {
                    await redis.Multiplexer.GetSubscriber().PublishAsync(redis.Channel(Channel), probe.Nonce);
                    // A network round trip, timed in real time: the app's clock may be held still by tests.
                    await probe.Returned.Task.WaitAsync(ProbeWait, TimeProvider.System);
                    _confirmed = BrokenCount() == 0 && Interlocked.Read(ref _connectionEvents) == events;
                }
                catch (TimeoutException)
                {
                    // Not back yet: probe again while the connection is up.
                }
                catch (Exception e) when (RedisConnection.IsOutage(e))
                {
                    // The publish itself failed (a refused command, a connection going down): try again shortly, not in a
                    // tight loop.
                    await Task.Delay(ProbeRetry, TimeProvider.System);
                }
            }
            if (_confirmed)
            {
                LogConfirmed(logger);
            }
        }
        finally
        {
            Volatile.Write(ref _confirming, 0);
        }
    }

    private sealed record Probe(string Nonce)
    {
        public TaskCompletionSource Returned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private int BrokenCount()
    {
        lock (_gate)
        {
            return _brokenConnections.Count;
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Increment(ref _connectionEvents);
        _confirmed = false;
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
        Interlocked.Increment(ref _connectionEvents);
        _confirmed = false;
        _cache?.Clear();
        _ = _subscribed ? ConfirmAsync() : SubscribeAsync();
    }

    public void Dispose()
    {
        _disposed = true;
        if (_cache is not null)
        {
            redis.Multiplexer.ConnectionFailed -= OnConnectionFailed;
            redis.Multiplexer.ConnectionRestored -= OnConnectionRestored;
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Subscribing to session revocations failed; session checks go to Redis until it returns")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Session revocation subscription confirmed; the local session cache is on")]
    private static partial void LogConfirmed(ILogger logger);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Redis {ConnectionType} connection lost; the local session cache is off until it returns")]
    private static partial void LogCacheOff(ILogger logger, string connectionType);
}
