using System.Threading.Channels;
using PasswordlessBff.Tests.Infrastructure;
using StackExchange.Redis;

namespace PasswordlessBff.Tests.Scaling;

// The test cluster itself, and what the revocation design relies on: a plain PUBLISH on any master reaches a
// subscriber wherever its subscription lives (redis.io, PUBLISH: "clients can publish to every node").
public sealed class RedisClusterInfrastructureTests
{
    [Fact]
    public async Task TheClusterHasThreeMastersCoveringEverySlot()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisClusterServer.Shared.Configuration);

        var masters = RedisClusterServer.Masters(connection).ToList();

        Assert.Equal(3, masters.Count);
        Assert.Equal(3, connection.GetServers().First().ClusterConfiguration!.Nodes.Count(n => !n.IsReplica && n.Slots.Count > 0));
    }

    [Fact]
    public async Task APublishOnEveryMasterReachesOneSubscriber()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisClusterServer.Shared.Configuration);
        var channel = RedisChannel.Literal($"test-{Guid.NewGuid():N}:session-revocations");
        var received = Channel.CreateUnbounded<string>();
        await connection.GetSubscriber().SubscribeAsync(channel, (_, message) => received.Writer.TryWrite(message!));

        foreach (var master in RedisClusterServer.Masters(connection))
        {
            var sent = $"from {master.EndPoint}";
            await master.ExecuteAsync("PUBLISH", (RedisValue)(string)channel!, sent);
            using var within = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            Assert.Equal(sent, await received.Reader.ReadAsync(within.Token));
        }
    }

    [Fact]
    public async Task TheClusterStoreSeesKeysOnEveryMaster()
    {
        await using var store = new RedisClusterStore();
        // Thirty keys spread over the three masters, so Keys has to ask each of them.
        var keys = Enumerable.Range(0, 30).Select(i => $"{store.KeyPrefix}probe:{i}").ToList();
        foreach (var key in keys)
        {
            await store.Inspect.StringSetAsync(key, $"secret-{key}");
        }

        Assert.Equal(keys.Order(), store.Keys("probe:*").Select(k => k.ToString()).Order());
        Assert.Contains($"secret-{keys[^1]}", await store.RawContentsAsync(), StringComparison.Ordinal);
    }
}
