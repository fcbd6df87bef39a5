using PasswordlessBff.Limits;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// The per-address gate on wrong codes: one hash per address, living until its window ends.
public sealed partial class RedisLoginStore
{
    // ARGV of both address scripts: now, window start cut-off, free, max, first delay, max delay, window (ms).
    // Returns the milliseconds to wait, 0 to pass; passing while delays apply starts the next delay.
    private const string AddressGateScript = """
        local h = redis.call('HMGET', KEYS[1], 'windowStart', 'failures', 'nextAt')
        if not h[1] then return 0 end
        local now, windowStart, failures, nextAt = tonumber(ARGV[1]), tonumber(h[1]), tonumber(h[2]), tonumber(h[3])
        if windowStart <= tonumber(ARGV[2]) or failures < tonumber(ARGV[3]) then return 0 end
        if failures >= tonumber(ARGV[4]) then return math.max(1, windowStart + tonumber(ARGV[7]) - now) end
        if nextAt > now then return nextAt - now end
        local delay = math.min(tonumber(ARGV[6]), tonumber(ARGV[5]) * 2 ^ math.min(failures - tonumber(ARGV[3]), 30))
        redis.call('HSET', KEYS[1], 'nextAt', now + delay)
        return 0
        """;

    private const string AddressFailureScript = """
        local now, from, free = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local h = redis.call('HMGET', KEYS[1], 'windowStart', 'failures')
        local windowStart, failures = now, 1
        if h[1] and tonumber(h[1]) > from then
          windowStart, failures = tonumber(h[1]), tonumber(h[2]) + 1
        end
        local nextAt = 0
        if failures >= free then
          nextAt = now + math.min(tonumber(ARGV[6]), tonumber(ARGV[5]) * 2 ^ math.min(failures - free, 30))
        end
        redis.call('HSET', KEYS[1], 'windowStart', windowStart, 'failures', failures, 'nextAt', nextAt)
        redis.call('PEXPIRE', KEYS[1], math.max(1000, windowStart + tonumber(ARGV[7]) - now))
        return failures
        """;

    public Task<AddressGate> TryPassAddressGateAsync(byte[] addressKey, DateTimeOffset now, AddressFailurePolicy policy, CancellationToken ct) =>
        redis.RunAsync(async database =>
        {
            var wait = (long)await database.ScriptEvaluateAsync(AddressGateScript, [FailuresKey(addressKey)], PolicyArguments(now, policy));
            return new AddressGate(wait <= 0, TimeSpan.FromMilliseconds(Math.Max(0, wait)));
        });

    public Task RecordAddressFailureAsync(byte[] addressKey, DateTimeOffset now, AddressFailurePolicy policy, CancellationToken ct) =>
        redis.RunAsync(database => database.ScriptEvaluateAsync(AddressFailureScript, [FailuresKey(addressKey)], PolicyArguments(now, policy)));

    public Task ClearAddressFailuresAsync(byte[] addressKey, CancellationToken ct) =>
        redis.RunAsync(database => database.KeyDeleteAsync(FailuresKey(addressKey)));

    private static RedisValue[] PolicyArguments(DateTimeOffset now, AddressFailurePolicy policy) =>
    [
        now.ToUnixTimeMilliseconds(), (now - policy.Window).ToUnixTimeMilliseconds(), policy.FreeFailures, policy.MaxFailures,
        (long)policy.FirstDelay.TotalMilliseconds, (long)policy.MaxDelay.TotalMilliseconds, (long)policy.Window.TotalMilliseconds,
    ];

    private static RedisKey FailuresKey(byte[] addressKey) => $"address-failures:{Convert.ToHexStringLower(addressKey)}";
}
