using System.Text;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;

namespace PasswordlessBff.Tests.Infrastructure;

// The store a test host runs on, and the test's own look beneath the API at what it holds. Hosts that share one
// (a restart, a second instance) share the object; only the host that created it disposes it.
public interface ITestStore : IAsyncDisposable
{
    IReadOnlyDictionary<string, string?> Settings { get; }

    // Live sessions: a verification that lost the race for its login leaves a revoked record that never had a cookie.
    Task<long> CountSessionsAsync(string email);

    // Everything the store holds, as text, for tests that look for secrets in clear.
    Task<string> RawContentsAsync();

    // The store becomes unreachable, then comes back with what it held.
    Task TakeAwayAsync();

    Task BringBackAsync();
}

// Its own SQLite file in a temp directory.
public sealed class SqliteStore : ITestStore
{
    private static readonly string[] DatabaseFiles = ["", "-wal", "-shm"];

    public string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), "pwlbff-tests", Guid.NewGuid().ToString("N"), "test.db");

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = DatabasePath };

    public async Task<long> CountSessionsAsync(string email)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions WHERE email = $email AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$email", email);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<string> RawContentsAsync()
    {
        var contents = new StringBuilder();
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            contents.Append(Encoding.Latin1.GetString(copy.ToArray()));
        }
        return contents.ToString();
    }

    // The file replaced by a directory nothing can open, and pooled connections closed. A connection busy at the
    // first clear (the email workers poll) would come back to the pool still open on the moved file: clear again
    // while such a query can still be running (bounded: 20 times, 10 ms apart).
    public async Task TakeAwayAsync()
    {
        SqliteConnection.ClearAllPools();
        Move(DatabasePath, DatabasePath + ".aside");
        Directory.CreateDirectory(DatabasePath);
        for (var clear = 0; clear < 20; clear++)
        {
            SqliteConnection.ClearAllPools();
            await Task.Delay(10);
        }
    }

    public Task BringBackAsync()
    {
        Directory.Delete(DatabasePath);
        Move(DatabasePath + ".aside", DatabasePath);
        return Task.CompletedTask;
    }

    private static void Move(string from, string to)
    {
        foreach (var suffix in DatabaseFiles.Where(suffix => File.Exists(from + suffix)))
        {
            File.Move(from + suffix, to + suffix);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

// A Redis store (one server or a cluster) and the test's own connection to it, for looking beneath the API.
public interface IRedisTestStore : ITestStore
{
    string KeyPrefix { get; }

    IDatabase Inspect { get; }

    IEnumerable<RedisKey> Keys(string pattern);
}

// A real redis-server (the shared one), with a key prefix of its own that keeps fixtures apart.
public class RedisStore : IRedisTestStore
{
    private readonly Lazy<ConnectionMultiplexer> _inspector;
    private readonly bool _ownsServer;

    public RedisStore() : this(RedisServer.Shared, ownsServer: false)
    {
    }

    protected RedisStore(RedisServer server, bool ownsServer)
    {
        Server = server;
        _ownsServer = ownsServer;
        _inspector = new(() => ConnectionMultiplexer.Connect(server.Configuration + ",allowAdmin=true"));
    }

    public RedisServer Server { get; }

    public string KeyPrefix { get; } = NewKeyPrefix();

    public static string NewKeyPrefix() => $"test-{Guid.NewGuid():N}:";

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Redis",
        ["Storage:Redis:Configuration"] = Server.Configuration,
        ["Storage:Redis:KeyPrefix"] = KeyPrefix,
    };

    // The test's own connection to the server, for looking beneath the API.
    public IDatabase Inspect => _inspector.Value.GetDatabase();

    public IEnumerable<RedisKey> Keys(string pattern) => _inspector.Value.GetServers().Single().Keys(pattern: KeyPrefix + pattern);

    public Task<long> CountSessionsAsync(string email) => RedisInspection.CountSessionsAsync(Inspect, Keys("session:*"), email);

    public Task<string> RawContentsAsync() => RedisInspection.RawContentsAsync(Inspect, Keys("*"));

    // Like a Redis with persistence going down: what it holds now comes back with it.
    public async Task TakeAwayAsync()
    {
        await Inspect.ExecuteAsync("SAVE");
        await Server.StopAsync();
    }

    public Task BringBackAsync() => Server.RunAsync();

    public async ValueTask DisposeAsync()
    {
        if (_inspector.IsValueCreated)
        {
            await _inspector.Value.DisposeAsync();
        }
        if (_ownsServer)
        {
            await Server.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

// A redis-server of its own, for tests that stop and restart it.
public sealed class OwnRedisStore() : RedisStore(RedisServer.Start(), ownsServer: true);

// The shared three-master cluster, with a key prefix of its own; a fixture's keys spread over every master, so the
// inspection helpers ask each master (KEYS is per node) and read each key through the cluster-aware connection.
public sealed class RedisClusterStore : IRedisTestStore
{
    private readonly Lazy<ConnectionMultiplexer> _inspector = new(() => ConnectionMultiplexer.Connect(RedisClusterServer.Shared.Configuration + ",allowAdmin=true"));

    public string KeyPrefix { get; } = RedisStore.NewKeyPrefix();

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Redis",
        ["Storage:Redis:Configuration"] = RedisClusterServer.Shared.Configuration,
        ["Storage:Redis:KeyPrefix"] = KeyPrefix,
    };

    public IDatabase Inspect => _inspector.Value.GetDatabase();

    public IEnumerable<RedisKey> Keys(string pattern) =>
        RedisClusterServer.Masters(_inspector.Value).SelectMany(master => master.Keys(pattern: KeyPrefix + pattern));

    public Task<long> CountSessionsAsync(string email) => RedisInspection.CountSessionsAsync(Inspect, Keys("session:*"), email);

    public Task<string> RawContentsAsync() => RedisInspection.RawContentsAsync(Inspect, Keys("*"));

    // The shared cluster is never taken away; outage tests run on a single server of their own (OwnRedisStore).
    public Task TakeAwayAsync() => throw new NotSupportedException("The shared Redis Cluster is not stopped by tests; use OwnRedisStore.");

    public Task BringBackAsync() => throw new NotSupportedException("The shared Redis Cluster is not stopped by tests; use OwnRedisStore.");

    public async ValueTask DisposeAsync()
    {
        if (_inspector.IsValueCreated)
        {
            await _inspector.Value.DisposeAsync();
        }
    }
}

// What both Redis stores (one server, a cluster) read beneath the API, given the keys of their prefix.
internal static class RedisInspection
{
    public static async Task<long> CountSessionsAsync(IDatabase database, IEnumerable<RedisKey> sessionKeys, string email)
    {
        long count = 0;
        foreach (var key in sessionKeys)
        {
            count += await database.HashGetAsync(key, "email") == email && !await database.HashExistsAsync(key, "revokedAt") ? 1 : 0;
        }
        return count;
    }

    public static async Task<string> RawContentsAsync(IDatabase database, IEnumerable<RedisKey> keys)
    {
        var contents = new StringBuilder();
        foreach (var key in keys)
        {
            contents.Append(key).Append('\n');
            var values = await database.KeyTypeAsync(key) switch
            {
                RedisType.String => [await database.StringGetAsync(key)],
                RedisType.Hash => (await database.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name, e.Value }).ToArray(),
                RedisType.SortedSet => await database.SortedSetRangeByRankAsync(key),
                RedisType.List => await database.ListRangeAsync(key),
                RedisType.Set => await database.SetMembersAsync(key),
                _ => [],
            };
            foreach (var value in values)
            {
                contents.Append(Encoding.Latin1.GetString((byte[])value!)).Append('\n');
            }
        }
        return contents.ToString();
    }
}
