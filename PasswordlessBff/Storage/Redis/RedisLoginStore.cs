using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PasswordlessBff.Limits;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// A login is one hash (its credentials are fields of it) living until expiry plus retention; each link hash has an
// index key pointing at its login. Every check-and-change is one Lua script, so instances never read-then-write.
public sealed partial class RedisLoginStore(RedisConnection redis, IOptions<StorageOptions> options, TimeProvider time) : ILoginStore
{
    // Sliding window on KEYS[1], the address's sends (ARGV: now, window start, limit, a unique member, window ms): drop
    // sends older than the window, then add one only while under the limit (-1); else return the time of the send that
    // must leave the window first.
    private const string CountEmail = """
        local function count()
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
          local limit = tonumber(ARGV[3])
          if redis.call('ZCARD', KEYS[1]) < limit then
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return -1
          end
          return redis.call('ZREVRANGE', KEYS[1], limit - 1, limit - 1, 'WITHSCORES')[2]
        end
        """;

    // KEYS[k] the login hash; ARGV[a] its TTL (ms), ARGV[a + 1] the number n of field and value arguments that follow.
    private const string StoreLogin = """
        local function store(k, a)
          local n = tonumber(ARGV[a + 1])
          redis.call('HSET', KEYS[k], unpack(ARGV, a + 2, a + 1 + n))
          redis.call('PEXPIRE', KEYS[k], ARGV[a])
        end
        """;

    private const string CountEmailScript = CountEmail + "\nreturn count()";

    // KEYS[e] the login; ARGV[a] the new expiry, then the retention and now (ms), then field and value pairs to the end.
    private const string ExtendLogin = """
        local function extend(e, a)
          if redis.call('EXISTS', KEYS[e]) == 0 then return 0 end
          local expires = math.max(tonumber(redis.call('HGET', KEYS[e], 'expiresAt')), tonumber(ARGV[a]))
          redis.call('HSET', KEYS[e], 'expiresAt', expires)
          redis.call('PEXPIRE', KEYS[e], math.max(1000, expires + tonumber(ARGV[a + 1]) - tonumber(ARGV[a + 2])))
          for i = a + 3, #ARGV, 2 do
            redis.call('HSET', KEYS[e], ARGV[i], ARGV[i + 1])
          end
          return 1
        end
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

    private readonly TimeSpan _retention = TimeSpan.FromSeconds(options.Value.RetainExpiredLoginsSeconds);

    public Task<EmailQuota> TryCountEmailAsync(byte[] addressKey, DateTimeOffset now, int limit, TimeSpan window, CancellationToken ct) =>
        redis.RunAsync(async database => Quota(
            await database.ScriptEvaluateAsync(CountEmailScript, [EmailKey(addressKey)], CountArguments(now, limit, window)), now, window));

    public Task CreateLoginAsync(PendingLogin login, CancellationToken ct) => redis.RunAsync(async database =>
    {
        await IndexLinksAsync(database, login.Id, login.Credentials, time.GetUtcNow());
        await StoreAsync(database, login, email: null);
    });

    private static RedisValue[] CountArguments(DateTimeOffset now, int limit, TimeSpan window, string? send = null) =>
    [
        now.ToUnixTimeMilliseconds(), (now - window).ToUnixTimeMilliseconds(), limit, send ?? Guid.NewGuid().ToString("N"),
        (long)window.TotalMilliseconds,
    ];

    private static EmailQuota Quota(RedisResult result, DateTimeOffset now, TimeSpan window)
    {
        var blocking = (double)result;
        if (blocking < 0)
        {
            return new EmailQuota(true, TimeSpan.Zero);
        }
        var retryAfter = DateTimeOffset.FromUnixTimeMilliseconds((long)blocking) + window - now;
        return new EmailQuota(false, retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1));
    }

    // The arguments of the Lua store(): TTL, then the hash's fields.
    private RedisValue[] StoreArguments(PendingLogin login)
    {
        var now = time.GetUtcNow();
        var fields = new List<RedisValue>
        {
            "email", login.Email, "returnTo", login.ReturnTo, "template", login.Template,
            "createdAt", login.CreatedAt.ToUnixTimeMilliseconds(), "expiresAt", login.ExpiresAt.ToUnixTimeMilliseconds(), "failed", 0,
        };
        void Add(string name, RedisValue value)
        {
            if (!value.IsNull)
            {
                fields.AddRange([name, value]);
            }
        }
        Add("state", login.State);
        Add("lastSentAt", login.LastSentAt?.ToUnixTimeMilliseconds());
        Add("locale", login.Locale);
        Add("templateVariables", login.TemplateVariables is null ? null : JsonSerializer.Serialize(login.TemplateVariables));
        Add("codeChallenge", login.CodeChallenge);
        Add("approvalNumber", login.ApprovalNumber);
        Add("askedBy", login.AskedBy);
        Add("approval", login.Approval == LoginApproval.None ? RedisValue.Null : (int)login.Approval);
        foreach (var credential in login.Credentials)
        {
            fields.AddRange([CredentialField(), Encode(credential)]);
        }
        return [Milliseconds(RedisConnection.TtlUntil(login.ExpiresAt + _retention, now)), fields.Count, .. fields];
    }

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
            Locale = fields.TryGetValue("locale", out var locale) ? (string?)locale : null,
            CodeChallenge = fields.TryGetValue("codeChallenge", out var challenge) ? (string?)challenge : null,
            ApprovalNumber = fields.TryGetValue("approvalNumber", out var number) ? (string?)number : null,
            AskedBy = fields.TryGetValue("askedBy", out var askedBy) ? (string?)askedBy : null,
            Approval = fields.TryGetValue("approval", out var approval) ? (LoginApproval)(int)approval : LoginApproval.None,
            TemplateVariables = fields.TryGetValue("templateVariables", out var variables)
                ? JsonSerializer.Deserialize<Dictionary<string, string>>((string)variables!)
                : null,
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

    // Each link's index is a key of its own (found from the link alone, in any slot), written before its login, so a
    // login never exists with a link that cannot find it; an index left by a write that failed points at nothing.
    private Task<bool[]> IndexLinksAsync(IDatabase database, string loginId, IReadOnlyList<StoredCredential> credentials, DateTimeOffset now) =>
        Task.WhenAll(credentials.Where(c => c.Kind == CredentialKind.Link).Select(link => database.StringSetAsync(
            LinkKey(link.Hash), LinkValue(loginId, link), RedisConnection.TtlUntil(link.ExpiresAt + _retention, now))));

    private static string LinkValue(string loginId, StoredCredential link) => $"{loginId}|{link.ExpiresAt.ToUnixTimeMilliseconds()}";

    private static long Milliseconds(TimeSpan ttl) => (long)ttl.TotalMilliseconds;

    // In its shard's slot, beside the queue its email jobs wait in.
    internal static RedisKey LoginKey(string loginId) => $"login:{RedisShards.OfLogin(loginId)}{loginId}";

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
