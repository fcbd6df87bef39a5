using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// Keys written before the cluster layout (one Redis, no hash tags) are moved into it at the first start-up on the
// layout, so an upgrade keeps the logins that were pending and the emails that were queued; the marker key then skips
// the scan at every later start. Only a single server can hold old keys: a cluster was refused before. Versions do not
// mix (an old instance neither reads nor writes the new keys), so every instance is upgraded at once.
public sealed partial class RedisLegacyLayout(RedisConnection redis, ILogger<RedisLegacyLayout> logger)
{
    private static readonly RedisKey Marker = "key-layout";
    private const string Layout = "shards-16";
    private static readonly RedisKey OldQueue = "email-jobs";
    private static readonly RedisKey OldJobs = "email-jobs:data";

    // KEYS: the old queue and jobs hash, the new ones. ARGV: the job id. The job, its state fields and its due time
    // move together; a job already gone (delivered meanwhile by an old instance) moves nothing.
    private const string MoveJobScript = """
        local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not due then return 0 end
        for _, suffix in ipairs({'', ':claim', ':claims', ':sending'}) do
          local value = redis.call('HGET', KEYS[2], ARGV[1] .. suffix)
          if value then redis.call('HSET', KEYS[4], ARGV[1] .. suffix, value) end
          redis.call('HDEL', KEYS[2], ARGV[1] .. suffix)
        end
        redis.call('ZADD', KEYS[3], due, ARGV[1])
        redis.call('ZREM', KEYS[1], ARGV[1])
        return 1
        """;

    public async Task MoveAsync()
    {
        try
        {
            var database = redis.Database;
            if (await database.StringGetAsync(Marker) == Layout)
            {
                return;
            }
            var primaries = redis.Multiplexer.GetServers().Where(s => !s.IsReplica).ToList();
            if (primaries.Count == 1 && primaries[0].ServerType != ServerType.Cluster)
            {
                var (logins, jobs) = (await MoveLoginsAsync(primaries[0]), await MoveJobsAsync());
                if (logins + jobs > 0)
                {
                    LogMoved(logger, logins, jobs);
                }
            }
            await database.StringSetAsync(Marker, Layout);
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            LogNotMoved(logger, e);
        }
    }

    // A login's hash is unchanged; only its name gains the shard's tag.
    private async Task<int> MoveLoginsAsync(IServer server)
    {
        var moved = 0;
        var database = redis.Database;
        await foreach (var key in server.KeysAsync(pattern: redis.KeyPrefix + "login:*", pageSize: 1000))
        {
            var loginId = key.ToString()[(redis.KeyPrefix.Length + "login:".Length)..];
            if (!loginId.StartsWith('{') && await database.KeyRenameAsync($"login:{loginId}", RedisLoginStore.LoginKey(loginId), When.NotExists))
            {
                moved++;
            }
        }
        return moved;
    }

    // Old job ids carry no login part, so each job goes to the shard its own id names, where every later call finds it.
    private async Task<int> MoveJobsAsync()
    {
        var moved = 0;
        var database = redis.Database;
        foreach (var id in await database.SortedSetRangeByRankAsync(OldQueue))
        {
            var shard = RedisShards.OfJob(id.ToString());
            moved += (int)await database.ScriptEvaluateAsync(MoveJobScript,
                [OldQueue, OldJobs, .. RedisEmailJobStore.ShardKeys(shard)], [id]);
        }
        return moved;
    }

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Moved {Logins} pending logins and {Jobs} queued emails into the Redis Cluster key layout")]
    private static partial void LogMoved(ILogger logger, int logins, int jobs);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Redis is unreachable: pending logins and queued emails from before the cluster key layout were not moved; they are moved at the next start")]
    private static partial void LogNotMoved(ILogger logger, Exception exception);
}
