namespace PasswordlessBff.Storage.Redis;

// The cross-device approval's decision: set once, on a pending login that is not locked; refusing also locks it.
public sealed partial class RedisLoginStore
{
    private const string DecideApprovalScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'completedAt') == 1 then return 0 end
        if redis.call('HEXISTS', KEYS[1], 'approval') == 1 then return 0 end
        if tonumber(redis.call('HGET', KEYS[1], 'failed') or '0') >= tonumber(ARGV[2]) then return 0 end
        redis.call('HSET', KEYS[1], 'approval', ARGV[1])
        if ARGV[1] == '2' then redis.call('HSET', KEYS[1], 'failed', ARGV[2]) end
        return 1
        """;

    public Task<bool> TryDecideApprovalAsync(string loginId, LoginApproval decision, int maxFailedAttempts, CancellationToken ct) =>
        redis.RunAsync(async database => (int)await database.ScriptEvaluateAsync(
            DecideApprovalScript, [LoginKey(loginId)], [(int)decision, maxFailedAttempts]) == 1);
}
