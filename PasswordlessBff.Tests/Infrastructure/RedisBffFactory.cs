using System.Text;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace PasswordlessBff.Tests.Infrastructure;

// The same host with Storage:Provider=Redis against a real redis-server; a key prefix of its own keeps fixtures apart.
public class RedisBffFactory : BffFactory
{
    private readonly IDictionary<string, string?> _overrides;
    private readonly Lazy<ConnectionMultiplexer> _inspector;

    public RedisBffFactory() : this(new Dictionary<string, string?>())
    {
    }

    protected internal RedisBffFactory(IDictionary<string, string?> overrides)
        : this(overrides, RedisServer.Shared, NewKeyPrefix())
    {
    }

    protected internal RedisBffFactory(IDictionary<string, string?> overrides, RedisServer server, string keyPrefix,
        SmtpSink? sharedSmtp = null, FakeTimeProvider? sharedTime = null)
        : base(WithRedis(overrides, server, keyPrefix), sharedSmtp: sharedSmtp, sharedTime: sharedTime)
    {
        _overrides = overrides;
        Redis = server;
        KeyPrefix = keyPrefix;
        _inspector = new(() => ConnectionMultiplexer.Connect(server.Configuration + ",allowAdmin=true"));
    }

    public RedisServer Redis { get; }

    public string KeyPrefix { get; }

    public override BffFactory CreateSibling(IDictionary<string, string?> changes) =>
        new RedisBffFactory(Merge(_overrides, changes), Redis, KeyPrefix, Smtp, Time) { Environment = Environment };

    // The test's own connection to the server, for looking beneath the API.
    public IDatabase Inspect => _inspector.Value.GetDatabase();

    public override async Task<long> CountSessionsAsync(string email)
    {
        long count = 0;
        foreach (var key in Keys("session:*"))
        {
            count += await Inspect.HashGetAsync(key, "email") == email && !await Inspect.HashExistsAsync(key, "revokedAt") ? 1 : 0;
        }
        return count;
    }

    public override async Task<string> RawStoreContentsAsync()
    {
        var contents = new StringBuilder();
        foreach (var key in Keys("*"))
        {
            contents.Append(key).Append('\n');
            var values = await Inspect.KeyTypeAsync(key) switch
            {
                RedisType.String => [await Inspect.StringGetAsync(key)],
                RedisType.Hash => (await Inspect.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name, e.Value }).ToArray(),
                RedisType.SortedSet => await Inspect.SortedSetRangeByRankAsync(key),
                RedisType.List => await Inspect.ListRangeAsync(key),
                _ => [],
            };
            foreach (var value in values)
            {
                contents.Append(Encoding.Latin1.GetString((byte[])value!)).Append('\n');
            }
        }
        return contents.ToString();
    }

    // Like a Redis with persistence going down: what it holds now comes back with it.
    public override async Task TakeStoreAwayAsync()
    {
        await Inspect.ExecuteAsync("SAVE");
        await Redis.StopAsync();
    }

    public override Task BringStoreBackAsync() => Redis.RunAsync();

    public IEnumerable<RedisKey> Keys(string pattern) =>
        _inspector.Value.GetServers().Single().Keys(pattern: KeyPrefix + pattern);

    public static string NewKeyPrefix() => $"test-{Guid.NewGuid():N}:";

    private static Dictionary<string, string?> WithRedis(IDictionary<string, string?> overrides, RedisServer server, string keyPrefix)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Redis",
            ["Storage:Redis:Configuration"] = server.Configuration,
            ["Storage:Redis:KeyPrefix"] = keyPrefix,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        return settings;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_inspector.IsValueCreated)
        {
            await _inspector.Value.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

// A Redis host with a redis-server of its own, for tests that stop and restart it.
public sealed class OwnRedisBffFactory() : RedisBffFactory(new Dictionary<string, string?>(), RedisServer.Start(), NewKeyPrefix())
{
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
