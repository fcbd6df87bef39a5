using System.Net.Http.Json;
using System.Text.Json;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Proxy;

// The generated ring lives in the store: every instance on Redis publishes and signs with the same keys, and a
// restart on SQLite keeps them (a backend's cached JWKS stays right).
public abstract class SharedSigningKeyTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task AnotherInstanceOrARestartPublishesTheSameKeys()
    {
        await using var sibling = factory.CreateSibling();

        var first = await KeyIdsAsync(factory);
        var second = await KeyIdsAsync(sibling);

        Assert.Equal(2, first.Count);
        Assert.Equal(first, second);
    }

    private static async Task<List<string>> KeyIdsAsync(BffFactory host)
    {
        using var http = host.CreateClient();
        var keys = await http.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        return [.. keys.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }
}

public sealed class SharedSigningKeysOnSqlite(Bff<SqliteStore, Defaults> factory) : SharedSigningKeyTests<Bff<SqliteStore, Defaults>>(factory);

public sealed class SharedSigningKeysOnRedis(Bff<RedisStore, Defaults> factory) : SharedSigningKeyTests<Bff<RedisStore, Defaults>>(factory);

public sealed class SharedSigningKeysOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : SharedSigningKeyTests<Bff<RedisClusterStore, Defaults>>(factory);
