using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// The signing keys in one hash, a field per generation: HSETNX lets the first instance's key win.
public sealed class RedisSigningKeyStore(RedisConnection redis) : ISigningKeyStore
{
    private const string Key = "proxy-signing-keys";

    public Task<IReadOnlyList<StoredSigningKey>> ListAsync(CancellationToken ct) => redis.RunAsync(async database =>
    {
        var entries = await database.HashGetAllAsync(Key);
        return (IReadOnlyList<StoredSigningKey>)[.. entries
            .Select(entry => JsonSerializer.Deserialize<StoredSigningKey>(entry.Value.ToString())!)
            .OrderBy(key => key.Generation)];
    });

    public Task AddIfAbsentAsync(StoredSigningKey key, CancellationToken ct) => redis.RunAsync(database =>
        database.HashSetAsync(Key, Field(key.Generation), JsonSerializer.Serialize(key), When.NotExists));

    public Task RemoveAsync(int generation, CancellationToken ct) => redis.RunAsync(database =>
        database.HashDeleteAsync(Key, Field(generation)));

    private static string Field(int generation) => generation.ToString(CultureInfo.InvariantCulture);
}
