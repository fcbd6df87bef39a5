using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;
using PasswordlessBff.Telemetry;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace PasswordlessBff.Storage.Redis;

// One multiplexer per process, shared by the stores, the client limiter and the key repository.
public sealed class RedisConnection : IDisposable
{
    private const string Upstream = "redis";
    private readonly Lazy<ConnectionMultiplexer> _multiplexer;
    private readonly UpstreamMetrics _metrics;

    public RedisConnection(IOptions<StorageOptions> options, UpstreamMetrics metrics)
    {
        _metrics = metrics;
        var redis = options.Value.Redis;
        KeyPrefix = redis.KeyPrefix;
        _multiplexer = new(() => ConnectionMultiplexer.Connect(Configure(redis.Configuration!)));
    }

    public string KeyPrefix { get; }

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    // Every key goes through the prefix, script keys included.
    public IDatabase Database => Multiplexer.GetDatabase().WithKeyPrefix(KeyPrefix);

    public RedisChannel Channel(string name) => RedisChannel.Literal(KeyPrefix + name);

    public static ConfigurationOptions Configure(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Start and keep running while Redis is away; commands then fail at once (503) instead of queueing.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        return options;
    }

    // Every store call is timed as one upstream call ("command": a script or a command, one round trip or a few).
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> work)
    {
        var started = _metrics.Start();
        try
        {
            var result = await work(Database);
            _metrics.Record(Upstream, "command", started, "ok");
            return result;
        }
        catch (Exception e) when (IsOutage(e))
        {
            _metrics.Record(Upstream, "command", started, "error");
            throw new DependencyUnavailableException("Redis store", e);
        }
    }

    public Task RunAsync(Func<IDatabase, Task> work) => RunAsync(async database => { await work(database); return true; });

    public T Run<T>(Func<IDatabase, T> work)
    {
        var started = _metrics.Start();
        try
        {
            var result = work(Database);
            _metrics.Record(Upstream, "command", started, "ok");
            return result;
        }
        catch (Exception e) when (IsOutage(e))
        {
            _metrics.Record(Upstream, "command", started, "error");
            throw new DependencyUnavailableException("Redis store", e);
        }
    }

    public static bool IsOutage(Exception e) => e is RedisConnectionException or RedisTimeoutException or RedisServerException;

    // Relative TTLs from our clock: Redis's own clock and ours may disagree, and tests move ours.
    public static TimeSpan TtlUntil(DateTimeOffset at, DateTimeOffset now) =>
        at - now > TimeSpan.FromSeconds(1) ? at - now : TimeSpan.FromSeconds(1);

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}
