using System.Security.Cryptography;
using PasswordlessBff.Sessions;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// Development with several instances: the generated signing key lives in Redis, so every instance signs alike.
public sealed class RedisDevSigningKeyStore(RedisConnection redis) : IDevSigningKeyStore
{
    private const string Key = "dev-session-signing-key";

    public string Location => $"Redis key {redis.KeyPrefix}{Key}";

    public byte[] LoadOrCreate() => redis.Run(database =>
    {
        // SET NX: the first instance's key wins and every other instance reads that one.
        database.StringSet(Key, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), when: When.NotExists);
        return Convert.FromBase64String(database.StringGet(Key).ToString());
    });
}
