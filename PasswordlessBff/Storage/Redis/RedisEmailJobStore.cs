using System.Globalization;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// The email queue is, per shard (RedisShards), a sorted set of job ids scored by when each is next due (ready, or its
// claim times out), beside one hash holding each job's record and state fields; every change is one Lua script over
// one shard's keys, which share its login's hash slot.
public sealed class RedisEmailJobStore(RedisConnection redis) : IEmailJobStore
{
    private static readonly TimeSpan UncertainKept = TimeSpan.FromDays(1);

    private static RedisKey Queue(string shard) => $"email-jobs:{shard}";

    private static RedisKey Jobs(string shard) => $"email-jobs:data:{shard}";

    private static RedisKey Uncertain(string shard) => $"email-jobs:uncertain:{shard}";

    // A shard's queue and jobs hash: KEYS[1] and KEYS[2] of every script here.
    internal static RedisKey[] ShardKeys(string shard) => [Queue(shard), Jobs(shard)];

    private static RedisKey[] Keys(string jobId) => ShardKeys(RedisShards.OfJob(jobId));

    // Lua for ILoginStore's send and resend scripts: KEYS[q] the queue, KEYS[q + 1] the jobs hash; ARGV[a] the id,
    // ARGV[a + 1] the record, ARGV[a + 2] when it is due.
    internal const string EnqueueFunction = """
        local function enqueue(q, a)
          redis.call('HSET', KEYS[q + 1], ARGV[a], ARGV[a + 1])
          redis.call('ZADD', KEYS[q], ARGV[a + 2], ARGV[a])
        end
        """;

    // ARGV: now, claim until, claim. Returns the id, record, claims so far and whether it was being sent, or nil.
    private const string ClaimScript = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
        if #ids == 0 then return nil end
        local id = ids[1]
        redis.call('ZADD', KEYS[1], ARGV[2], id)
        redis.call('HSET', KEYS[2], id .. ':claim', ARGV[3])
        local claims = redis.call('HINCRBY', KEYS[2], id .. ':claims', 1)
        return {id, redis.call('HGET', KEYS[2], id) or '', claims, redis.call('HGET', KEYS[2], id .. ':sending') or ''}
        """;

    // ARGV: id, claim, due, sending time ('' clears it). Only while the claim is still the job's.
    private const string HoldScript = """
        if redis.call('HGET', KEYS[2], ARGV[1] .. ':claim') ~= ARGV[2] then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        if ARGV[4] == '' then redis.call('HDEL', KEYS[2], ARGV[1] .. ':sending')
        else redis.call('HSET', KEYS[2], ARGV[1] .. ':sending', ARGV[4]) end
        return 1
        """;

    private const string ReleaseScript = """
        if redis.call('HGET', KEYS[2], ARGV[1] .. ':claim') ~= ARGV[2] then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1] .. ':claim', ARGV[1] .. ':sending')
        return 1
        """;

    private const string FinishScript = """
        if redis.call('HGET', KEYS[2], ARGV[1] .. ':claim') ~= ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1], ARGV[1] .. ':claim', ARGV[1] .. ':claims', ARGV[1] .. ':sending')
        return 1
        """;

    // KEYS[3] the record of uncertain jobs: "<id>|<login id>" scored by when; a day of them is kept.
    private const string UncertainScript = """
        local record = redis.call('HGET', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1], ARGV[1] .. ':claim', ARGV[1] .. ':claims', ARGV[1] .. ':sending')
        if record then
          redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1] .. '|' .. string.match(record, '^[^|]*'))
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[3])
        end
        return 1
        """;

    // "<login id>|<queued at ms>|<expires at ms>|<base64 payload>": the login id is base64url, so it has no '|'.
    internal static string Record(EmailJob job) => string.Join('|', job.LoginId, job.QueuedAt.ToUnixTimeMilliseconds(),
        job.ExpiresAt.ToUnixTimeMilliseconds(), Convert.ToBase64String(job.Payload));

    internal static RedisValue[] EnqueueArguments(EmailJob job) => [job.Id, Record(job), job.QueuedAt.ToUnixTimeMilliseconds()];

    // The login's shard, where its job (if any) must sit: the job's id names that shard.
    internal static RedisKey[] EnqueueKeys(string loginId, EmailJob? job) =>
        job is null || (EmailJob.LoginIdOf(job.Id) == loginId && job.LoginId == loginId)
            ? ShardKeys(RedisShards.OfLogin(loginId))
            : throw new ArgumentException($"Email job {job.Id} is not named after its login {loginId} (EmailJob.NewId).", nameof(job));

    // The shard whose first job has been due longest goes first; a claim lost to another worker tries the next.
    public Task<ClaimedEmailJob?> ClaimAsync(DateTimeOffset now, TimeSpan timeout, CancellationToken ct) => redis.RunAsync(async database =>
    {
        var claim = Guid.NewGuid().ToString("N");
        foreach (var shard in await DueShardsAsync(database, now))
        {
            var result = await database.ScriptEvaluateAsync(ClaimScript, ShardKeys(shard),
                [now.ToUnixTimeMilliseconds(), (now + timeout).ToUnixTimeMilliseconds(), claim]);
            if (!result.IsNull)
            {
                return Claimed((RedisResult[])result!, claim);
            }
        }
        return null;
    });

    // One read per shard, sent together (each goes to the node that holds its shard).
    private static async Task<IEnumerable<string>> DueShardsAsync(IDatabase database, DateTimeOffset now)
    {
        var batch = database.CreateBatch();
        var firsts = RedisShards.Tags.Select(shard => (Shard: shard, First: batch.SortedSetRangeByScoreWithScoresAsync(
            Queue(shard), stop: now.ToUnixTimeMilliseconds(), take: 1))).ToList();
        batch.Execute();
        await Task.WhenAll(firsts.Select(f => f.First));
        return firsts.Where(f => f.First.Result.Length > 0).OrderBy(f => f.First.Result[0].Score).Select(f => f.Shard);
    }

    private static ClaimedEmailJob Claimed(RedisResult[] parts, string claim)
    {
        var id = (string)parts[0]!;
        var record = ((string)parts[1]!).Split('|');
        // A record that cannot be read becomes a job that expired long ago: the worker drops it.
        var job = record.Length == 4
            ? new EmailJob(id, record[0], Convert.FromBase64String(record[3]), Time(record[1]), Time(record[2]))
            : new EmailJob(id, "", [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        return new ClaimedEmailJob(job, claim, (int)parts[2], !string.IsNullOrEmpty((string?)parts[3]));
    }

    public Task<bool> MarkSendingAsync(string jobId, string claim, DateTimeOffset now, TimeSpan timeout, CancellationToken ct) =>
        HoldAsync(jobId, claim, now + timeout, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

    public Task<bool> MarkNotSentAsync(string jobId, string claim, DateTimeOffset now, TimeSpan timeout, CancellationToken ct) =>
        HoldAsync(jobId, claim, now + timeout, "");

    private Task<bool> HoldAsync(string jobId, string claim, DateTimeOffset until, string sending) => redis.RunAsync(async database =>
        (int)await database.ScriptEvaluateAsync(HoldScript, Keys(jobId), [jobId, claim, until.ToUnixTimeMilliseconds(), sending]) == 1);

    public Task ReleaseAsync(string jobId, string claim, DateTimeOffset now, CancellationToken ct) => redis.RunAsync(database =>
        database.ScriptEvaluateAsync(ReleaseScript, Keys(jobId), [jobId, claim, now.ToUnixTimeMilliseconds()]));

    public Task FinishAsync(string jobId, string claim, CancellationToken ct) => redis.RunAsync(database =>
        database.ScriptEvaluateAsync(FinishScript, Keys(jobId), [jobId, claim]));

    public Task MarkUncertainAsync(string jobId, DateTimeOffset now, CancellationToken ct) => redis.RunAsync(database =>
        database.ScriptEvaluateAsync(UncertainScript, [.. Keys(jobId), Uncertain(RedisShards.OfJob(jobId))],
            [jobId, now.ToUnixTimeMilliseconds(), (now - UncertainKept).ToUnixTimeMilliseconds()]));

    // Depth is the sum over the shards; the age is the oldest first job of any shard.
    public Task<EmailQueueStats> StatsAsync(DateTimeOffset now, CancellationToken ct) => redis.RunAsync(async database =>
    {
        var batch = database.CreateBatch();
        var shards = RedisShards.Tags.Select(shard => (Depth: batch.SortedSetLengthAsync(Queue(shard)),
            First: batch.SortedSetRangeByScoreWithScoresAsync(Queue(shard), take: 1))).ToList();
        batch.Execute();
        await Task.WhenAll(shards.SelectMany(s => new Task[] { s.Depth, s.First }));
        var firsts = shards.SelectMany(s => s.First.Result).Select(e => e.Score).ToList();
        var age = firsts.Count == 0 ? TimeSpan.Zero : now - DateTimeOffset.FromUnixTimeMilliseconds((long)firsts.Min());
        return new EmailQueueStats(shards.Sum(s => s.Depth.Result), age > TimeSpan.Zero ? age : TimeSpan.Zero);
    });

    private static DateTimeOffset Time(string milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(milliseconds, CultureInfo.InvariantCulture));
}
