using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// A session is one hash that Redis drops at its absolute expiry; reads go through this instance's session cache
// (SessionCache, with RedisRevocations' trust).
public sealed class RedisSessionStore(RedisConnection redis, SessionCache cache, TimeProvider time) : ISessionStore
{
    // Revoke and tell every instance in one step; publishing even when already revoked costs nothing and heals a miss.
    // Returns 1 when this call revoked it, 0 when it was already revoked, -1 when it is gone.
    private const string RevokeScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        local revoked = 0
        if redis.call('HEXISTS', KEYS[1], 'revokedAt') == 0 then
          redis.call('HSET', KEYS[1], 'revokedAt', ARGV[1])
          revoked = 1
        end
        redis.call('PUBLISH', ARGV[2], ARGV[3])
        return revoked
        """;

    // Last-seen only moves forward, and never on a revoked session; returns what is stored, or -1.
    private const string TouchScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'revokedAt') == 1 then return -1 end
        local seen = math.max(tonumber(redis.call('HGET', KEYS[1], 'lastSeenAt')), tonumber(ARGV[1]))
        redis.call('HSET', KEYS[1], 'lastSeenAt', seen)
        return seen
        """;

    // Adds a session to an index (a person's, a user id's), which lives as long as the longest of its sessions.
    private const string IndexScript = """
        redis.call('SADD', KEYS[1], ARGV[1])
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 1
        """;

    public Task CreateSessionAsync(SessionRecord session, CancellationToken ct) => redis.RunAsync(async database =>
    {
        var generation = cache.Generation;
        var fields = new List<HashEntry>
        {
            new("email", session.Email), new("returnTo", session.ReturnTo),
            new("createdAt", session.CreatedAt.ToUnixTimeMilliseconds()),
            new("absoluteExpiresAt", session.AbsoluteExpiresAt.ToUnixTimeMilliseconds()),
            new("lastSeenAt", session.LastSeenAt.ToUnixTimeMilliseconds()),
        };
        if (session.Device is not null)
        {
            fields.Add(new("device", session.Device));
        }
        if (session.User is { } user)
        {
            fields.AddRange([new("userId", user.Id), new("roles", SessionUserText.Roles(user)), new("claims", SessionUserText.Claims(user))]);
        }
        // Every key has its own slot (Redis Cluster). The indexes are written first, so a session can always be found
        // by a revocation of its person's or user's sessions; an index entry whose session was never written is dropped
        // by the next such revocation.
        var ttl = RedisConnection.TtlUntil(session.AbsoluteExpiresAt, time.GetUtcNow());
        RedisKey[] indexes = session.User is null ? [UserKey(session.Email)] : [UserKey(session.Email), UserIdKey(session.User.Id)];
        await Task.WhenAll(indexes.Select(index =>
            database.ScriptEvaluateAsync(IndexScript, [index], [session.Id, (long)ttl.TotalMilliseconds])));
        var transaction = database.CreateTransaction();
        _ = transaction.HashSetAsync(Key(session.Id), [.. fields]);
        _ = transaction.KeyExpireAsync(Key(session.Id), ttl);
        await transaction.ExecuteAsync();
        cache.Created(session, generation);
    });

    public async Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken ct)
    {
        if (cache.TryGet(sessionId, out var cached))
        {
            return cached;
        }
        var generation = cache.Generation;
        return cache.Put(sessionId, await redis.RunAsync(async database => Parse(sessionId, await database.HashGetAllAsync(Key(sessionId)))),
            generation);
    }

    public async Task TouchSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct)
    {
        if (!cache.Seen(sessionId, now))
        {
            return;
        }
        var stored = (long)await redis.RunAsync(database => database.ScriptEvaluateAsync(
            TouchScript, [Key(sessionId)], [now.ToUnixTimeMilliseconds()]));
        if (stored >= 0)
        {
            cache.Written(sessionId, DateTimeOffset.FromUnixTimeMilliseconds(stored));
        }
    }

    public async Task RevokeSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct)
    {
        cache.Evict(sessionId);
        await redis.RunAsync(database => database.ScriptEvaluateAsync(RevokeScript, [Key(sessionId)],
            [now.ToUnixTimeMilliseconds(), (RedisValue)redis.Channel(RedisRevocations.Channel).ToString(), sessionId]));
        cache.Evict(sessionId);
    }

    public async Task<IReadOnlyList<SessionRecord>> ListSessionsAsync(string email, DateTimeOffset now, CancellationToken ct) =>
        cache.WithLastSeen((await ReadIndexAsync(UserKey(email))).Where(r => r.Email == email && r.RevokedAt is null && now < r.AbsoluteExpiresAt));

    public async Task<IReadOnlyList<SessionRecord>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken ct) =>
        cache.WithLastSeen((await ReadIndexAsync(UserIdKey(userId)))
            .Where(r => r.User?.Id == userId && r.RevokedAt is null && now < r.AbsoluteExpiresAt));

    private Task<List<SessionRecord>> ReadIndexAsync(RedisKey index) => redis.RunAsync(async database =>
    {
        var ids = await database.SetMembersAsync(index);
        var batch = database.CreateBatch();
        var reads = ids.Select(id => (Id: id.ToString(), Read: batch.HashGetAllAsync(Key(id.ToString())))).ToList();
        batch.Execute();
        await Task.WhenAll(reads.Select(r => r.Read));
        return reads.Select(r => Parse(r.Id, r.Read.Result)).OfType<SessionRecord>().ToList();
    });

    public async Task<int> RevokeOtherSessionsAsync(string email, string keepSessionId, DateTimeOffset now, CancellationToken ct)
    {
        cache.EvictOthers(email, keepSessionId);
        var revoked = await RevokeIndexedAsync(UserKey(email), keepSessionId, now);
        cache.EvictOthers(email, keepSessionId);
        return revoked;
    }

    public async Task<int> RevokeUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken ct)
    {
        cache.EvictUser(userId);
        var revoked = await RevokeIndexedAsync(UserIdKey(userId), keepSessionId: "", now);
        cache.EvictUser(userId);
        return revoked;
    }

    // Each session is revoked (and announced on the revocation channel, which every instance hears) in its own slot;
    // ids whose session is gone leave the index.
    private Task<int> RevokeIndexedAsync(RedisKey index, string keepSessionId, DateTimeOffset now) => redis.RunAsync(async database =>
    {
        var channel = (RedisValue)redis.Channel(RedisRevocations.Channel).ToString();
        var ids = (await database.SetMembersAsync(index)).Where(id => id != keepSessionId).ToList();
        var batch = database.CreateBatch();
        var results = ids.Select(id => (Id: id, Revoked: batch.ScriptEvaluateAsync(RevokeScript, [Key(id.ToString())],
            [now.ToUnixTimeMilliseconds(), channel, id]))).ToList();
        batch.Execute();
        await Task.WhenAll(results.Select(r => r.Revoked));
        var gone = results.Where(r => (int)r.Revoked.Result < 0).Select(r => r.Id).ToArray();
        if (gone.Length > 0)
        {
            await database.SetRemoveAsync(index, gone);
        }
        return results.Count(r => (int)r.Revoked.Result == 1);
    });

    private static RedisKey Key(string sessionId) => $"session:{sessionId}";

    // The address is hashed so key listings and monitoring do not show it.
    private static RedisKey UserKey(string email) =>
        $"user-sessions:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email)))}";

    private static RedisKey UserIdKey(string userId) =>
        $"userid-sessions:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))}";

    private static SessionRecord? Parse(string sessionId, HashEntry[] entries)
    {
        if (entries.Length == 0)
        {
            return null;
        }
        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value);
        return new SessionRecord(sessionId, fields["email"]!, fields["returnTo"]!,
            fields.TryGetValue("device", out var device) ? (string?)device : null,
            Time(fields["createdAt"]), Time(fields["absoluteExpiresAt"]), Time(fields["lastSeenAt"]),
            fields.TryGetValue("revokedAt", out var revoked) ? Time(revoked) : null,
            SessionUserText.Parse(Text(fields, "userId"), Text(fields, "roles"), Text(fields, "claims")));
    }

    private static string? Text(Dictionary<string, RedisValue> fields, string name) =>
        fields.TryGetValue(name, out var value) ? (string?)value : null;

    private static DateTimeOffset Time(RedisValue milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
}
