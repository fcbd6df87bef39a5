using PasswordlessBff.Storage.Redis;
using PasswordlessBff.Tests.Infrastructure;
using StackExchange.Redis;

namespace PasswordlessBff.Tests.Scaling;

// How the Redis store lays its keys out on a real three-master cluster: the shard tags spread over the slot space, and
// logins and their queued emails spread over the masters instead of piling onto one.
public sealed class RedisClusterLayoutTests(Bff<RedisClusterStore, Defaults> factory) : IClassFixture<Bff<RedisClusterStore, Defaults>>
{
    [Fact]
    public async Task EachShardTagHashesIntoTheMiddleOfItsSixteenthOfTheSlots()
    {
        const int sixteenth = 16384 / 16;
        for (var shard = 0; shard < RedisShards.Tags.Count; shard++)
        {
            var slot = (int)await factory.RedisStore.Inspect.ExecuteAsync("CLUSTER", "KEYSLOT", $"login:{RedisShards.Tags[shard]}x");
            Assert.InRange(slot, shard * sixteenth + sixteenth / 4, (shard + 1) * sixteenth - sixteenth / 4);
        }
    }

    [Fact]
    public async Task LoginsAndTheirEmailJobsSpreadOverEveryMaster()
    {
        using var browser = factory.NewBrowser();
        for (var i = 0; i < 40; i++)
        {
            await browser.SendAsync(Addresses.Unique());
        }

        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisClusterServer.Shared.Configuration);
        var perMaster = RedisClusterServer.Masters(connection)
            .Select(master => master.Keys(pattern: factory.RedisStore.KeyPrefix + "login:*").Count()).ToList();
        Assert.Equal(40, perMaster.Sum());
        // 40 logins over 16 shards, of which each master holds five or six: one master left empty has odds near 1 in 10^6.
        Assert.All(perMaster, count => Assert.True(count > 0, $"logins per master: {string.Join(", ", perMaster)}"));
    }
}
