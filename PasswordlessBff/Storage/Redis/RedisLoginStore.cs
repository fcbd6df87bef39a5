using System.Globalization;
using Microsoft.Extensions.Options;
using PasswordlessBff.Limits;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// A login is one hash (its credentials are fields of it) living until expiry plus retention; each link hash has an
// index key pointing at its login. Every check-and-change is one Lua script, so instances never read-then-write.
public sealed class RedisLoginStore(RedisConnection redis, IOptions<StorageOptions> options, TimeProvider time) : ILoginStore
{
    // Sliding window: drop sends older than the window, then add one only while under the limit; else return the
    // send that must leave the window first.
    private const string CountEmailScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
        local limit = tonumber(ARGV[3])
        if redis.call('ZCARD', KEYS[1]) < limit then
          redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
          redis.call('PEXPIRE', KEYS[1], ARGV[5])
          return -1
        end
        return redis.call('ZREVRANGE', KEYS[1], limit - 1, limit - 1, 'WITHSCORES')[2]
        """;

    private const string ExtendScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        local expires = math.max(tonumber(redis.call('HGET', KEYS[1], 'expiresAt')), tonumber(ARGV[1]))
        redis.call('HSET', KEYS[1], 'expiresAt', expires)
        redis.call('PEXPIRE', KEYS[1], math.max(1000, expires + tonumber(ARGV[2]) - tonumber(ARGV[3])))
        for i = 4, #ARGV, 2 do
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        return 1
        """;

    private const string CompleteScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'completedAt') == 1 then return 0 end
        if tonumber(redis.call('HGET', KEYS[1], 'failed') or '0') >= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'completedAt', ARGV[2])
        return 1
        """;

    // Moves lastSentAt to now only when the newest email is at least resendAfter old; else the milliseconds to wait.
    private const string ClaimResendScript = """
        local h = redis.call('HMGET', KEYS[1], 'lastSentAt', 'createdAt')
        if not h[2] then return -1 end
        local now, last = tonumber(ARGV[1]), tonumber(h[1] or h[2])
        local ready = last + tonumber(ARGV[2])
        if ready > now then return ready - now end
        redis.call('HSET', KEYS[1], 'lastSentAt', now)
        return 0
        """;

    private const string FailScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        return redis.call('HINCRBY', KEYS[1], 'failed', 1)
        """;

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

    private readonly TimeSpan _retention = TimeSpan.FromSeconds(options.Value.RetainExpiredLoginsSeconds);

    public Task<EmailQuota> TryCountEmailAsync(byte[] addressKey, DateTimeOffset now, int limit, TimeSpan window, CancellationToken ct) =>
        redis.RunAsync(async database =>
        {
            var result = await database.ScriptEvaluateAsync(CountEmailScript, [EmailKey(addressKey)],
            [
                now.ToUnixTimeMilliseconds(), (now - window).ToUnixTimeMilliseconds(), limit,
                Guid.NewGuid().ToString("N"), (long)window.TotalMilliseconds,
            ]);
            var blocking = (double)result;
            if (blocking < 0)
            {
                return new EmailQuota(true, TimeSpan.Zero);
            }
            var retryAfter = DateTimeOffset.FromUnixTimeMilliseconds((long)blocking) + window - now;
            return new EmailQuota(false, retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1));
        });

    public Task CreateLoginAsync(PendingLogin login, CancellationToken ct) => redis.RunAsync(async database =>
    {
        var now = time.GetUtcNow();
        var fields = new List<HashEntry>
        {
            new("email", login.Email), new("returnTo", login.ReturnTo), new("template", login.Template),
            new("createdAt", login.CreatedAt.ToUnixTimeMilliseconds()), new("expiresAt", login.ExpiresAt.ToUnixTimeMilliseconds()),
            new("failed", 0),
        };
        if (login.State is not null)
        {
            fields.Add(new("state", login.State));
        }
        if (login.LastSentAt is { } lastSent)
        {
            fields.Add(new("lastSentAt", lastSent.ToUnixTimeMilliseconds()));
        }
        fields.AddRange(login.Credentials.Select(c => new HashEntry(CredentialField(), Encode(c))));
        var transaction = database.CreateTransaction();
        _ = transaction.HashSetAsync(LoginKey(login.Id), [.. fields]);
        _ = transaction.KeyExpireAsync(LoginKey(login.Id), RedisConnection.TtlUntil(login.ExpiresAt + _retention, now));
        IndexLinks(transaction, login.Id, login.Credentials, now);
        await transaction.ExecuteAsync();
    });

    public Task AddCredentialsAsync(string loginId, IReadOnlyList<StoredCredential> credentials, DateTimeOffset expiresAt, CancellationToken ct) =>
        redis.RunAsync(async database =>
        {
            var now = time.GetUtcNow();
            var arguments = new List<RedisValue>
            {
                expiresAt.ToUnixTimeMilliseconds(), (long)_retention.TotalMilliseconds, now.ToUnixTimeMilliseconds(),
            };
            foreach (var credential in credentials)
            {
                arguments.Add(CredentialField());
                arguments.Add(Encode(credential));
            }
            var transaction = database.CreateTransaction();
            _ = transaction.ScriptEvaluateAsync(ExtendScript, [LoginKey(loginId)], [.. arguments]);
            IndexLinks(transaction, loginId, credentials, now);
            await transaction.ExecuteAsync();
        });

    public Task<PendingLogin?> GetLoginAsync(string loginId, CancellationToken ct) => redis.RunAsync(async database =>
    {
        var fields = (await database.HashGetAllAsync(LoginKey(loginId))).ToDictionary(e => e.Name.ToString(), e => e.Value);
        if (fields.Count == 0)
        {
            return null;
        }
        var credentials = fields.Where(f => f.Key.StartsWith("cred:", StringComparison.Ordinal)).Select(f => Decode(f.Value!)).ToList();
        return new PendingLogin(loginId, fields["email"]!, fields["returnTo"]!, fields["template"]!,
            fields.TryGetValue("state", out var state) ? (string?)state : null,
            Time(fields["createdAt"]), Time(fields["expiresAt"]), fields.ContainsKey("completedAt"),
            (int)fields["failed"], credentials)
        {
            LastSentAt = fields.TryGetValue("lastSentAt", out var lastSent) ? Time(lastSent) : null,
        };
    });

    public Task<ResendSlot> TryClaimResendAsync(string loginId, DateTimeOffset now, TimeSpan resendAfter, CancellationToken ct) =>
        redis.RunAsync(async database =>
        {
            var wait = (long)await database.ScriptEvaluateAsync(ClaimResendScript, [LoginKey(loginId)],
                [now.ToUnixTimeMilliseconds(), (long)resendAfter.TotalMilliseconds]);
            return wait switch
            {
                0 => new ResendSlot(true, TimeSpan.Zero),
                < 0 => new ResendSlot(false, TimeSpan.FromSeconds(1)),
                _ => new ResendSlot(false, TimeSpan.FromMilliseconds(wait)),
            };
        });

    public Task<LinkOwner?> FindLinkOwnerAsync(byte[] linkHash, CancellationToken ct) => redis.RunAsync(async database =>
    {
        var value = await database.StringGetAsync(LinkKey(linkHash));
        if (value.IsNull)
        {
            return null;
        }
        var parts = value.ToString().Split('|');
        return new LinkOwner(parts[0], Time(parts[1]));
    });

    public Task<bool> TryCompleteLoginAsync(string loginId, int maxFailedAttempts, DateTimeOffset now, CancellationToken ct) =>
        redis.RunAsync(async database => (int)await database.ScriptEvaluateAsync(
            CompleteScript, [LoginKey(loginId)], [maxFailedAttempts, now.ToUnixTimeMilliseconds()]) == 1);

    public Task<int> RecordFailedAttemptAsync(string loginId, CancellationToken ct) =>
        redis.RunAsync(async database => (int)await database.ScriptEvaluateAsync(FailScript, [LoginKey(loginId)]));

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

    private void IndexLinks(ITransaction transaction, string loginId, IReadOnlyList<StoredCredential> credentials, DateTimeOffset now)
    {
        foreach (var link in credentials.Where(c => c.Kind == CredentialKind.Link))
        {
            _ = transaction.StringSetAsync(LinkKey(link.Hash), $"{loginId}|{link.ExpiresAt.ToUnixTimeMilliseconds()}",
                RedisConnection.TtlUntil(link.ExpiresAt + _retention, now));
        }
    }

    internal static RedisKey LoginKey(string loginId) => $"login:{loginId}";

    private static RedisKey LinkKey(byte[] linkHash) => $"link:{Convert.ToHexStringLower(linkHash)}";

    private static RedisKey EmailKey(byte[] addressKey) => $"email-sends:{Convert.ToHexStringLower(addressKey)}";

    // Field names are random so a resend adds credentials without reading what is there.
    private static string CredentialField() => $"cred:{Guid.NewGuid():N}";

    private static string Encode(StoredCredential credential) =>
        $"{(int)credential.Kind}|{credential.ExpiresAt.ToUnixTimeMilliseconds()}|{Convert.ToBase64String(credential.Hash)}";

    private static StoredCredential Decode(string value)
    {
        var parts = value.Split('|');
        return new StoredCredential((CredentialKind)int.Parse(parts[0], CultureInfo.InvariantCulture), Convert.FromBase64String(parts[2]), Time(parts[1]));
    }

    private static DateTimeOffset Time(RedisValue milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);

    private static DateTimeOffset Time(string milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(milliseconds, CultureInfo.InvariantCulture));
}
