namespace PasswordlessBff.Storage.Redis;

// Redis drops expired logins, sends and sessions by their TTLs, so there is nothing to sweep.
public sealed class RedisStoreMaintenance(RedisConnection redis, RedisRevocations revocations, SessionCache cache, RedisLegacyLayout legacy)
    : IStoreMaintenance
{
    public async Task InitializeAsync(CancellationToken ct)
    {
        await legacy.MoveAsync();
        await revocations.StartAsync(cache);
    }

    public Task PingAsync(CancellationToken ct) => redis.RunAsync(database => database.PingAsync());

    public Task<int> SweepExpiredAsync(DateTimeOffset now, CancellationToken ct) => Task.FromResult(0);
}
