using PasswordlessBff.Limits;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// Send and resend: the login (or its new credentials) and its email job are written in one step, so a send that
// answered 200 has its email queued durably, and nothing is queued for a login that was not stored.
public sealed partial class RedisLoginStore
{
    // KEYS: the queue and jobs hash of the login's shard, the login. ARGV: the job's three ('' for none), then store()'s.
    private const string StoreScript = RedisEmailJobStore.EnqueueFunction + "\n" + StoreLogin + "\n" + """
        if ARGV[1] ~= '' then enqueue(1, 1) end
        store(3, 4)
        return 1
        """;

    // KEYS: the login, then its shard's queue and jobs hash. ARGV: the job's three ('' for none), then extend()'s. A job
    // is queued only for a login that is still there.
    private const string ResendScript = RedisEmailJobStore.EnqueueFunction + "\n" + ExtendLogin + "\n" + """
        if extend(1, 4) == 0 then return 0 end
        if ARGV[1] ~= '' then enqueue(2, 1) end
        return 1
        """;

    private static readonly RedisValue[] NoJob = ["", "", 0];

    // The address's budget has its own slot, so it is counted first; the login and its email job are then written in
    // one script, and a write that fails hands the counted send back. A crash between the two costs the address one
    // email of its budget, never an email: nothing was answered.
    public Task<EmailQuota> CreateLoginWithinQuotaAsync(PendingLogin login, byte[] addressKey, int limit, TimeSpan window, EmailJob? email,
        CancellationToken ct) =>
        redis.RunAsync(async database =>
        {
            var send = Guid.NewGuid().ToString("N");
            var quota = Quota(await database.ScriptEvaluateAsync(CountEmailScript, [EmailKey(addressKey)],
                CountArguments(login.CreatedAt, limit, window, send)), login.CreatedAt, window);
            if (!quota.Allowed)
            {
                return quota;
            }
            try
            {
                await IndexLinksAsync(database, login.Id, login.Credentials, time.GetUtcNow());
                await StoreAsync(database, login, email);
            }
            catch (Exception e) when (RedisConnection.IsOutage(e))
            {
                await HandBackAsync(database, addressKey, send);
                throw;
            }
            return quota;
        });

    private Task<RedisResult> StoreAsync(IDatabase database, PendingLogin login, EmailJob? email) => database.ScriptEvaluateAsync(StoreScript,
        [.. RedisEmailJobStore.EnqueueKeys(login.Id, email), LoginKey(login.Id)],
        [.. email is null ? NoJob : RedisEmailJobStore.EnqueueArguments(email), .. StoreArguments(login)]);

    private static async Task HandBackAsync(IDatabase database, byte[] addressKey, string send)
    {
        try
        {
            await database.SortedSetRemoveAsync(EmailKey(addressKey), send);
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            // Redis is away: the send stays counted until it leaves the window, the safe side of the budget.
        }
    }

    public Task AddCredentialsAsync(string loginId, IReadOnlyList<StoredCredential> credentials, DateTimeOffset expiresAt, EmailJob? email,
        CancellationToken ct) =>
        redis.RunAsync(async database =>
        {
            var now = time.GetUtcNow();
            await IndexLinksAsync(database, loginId, credentials, now);
            var arguments = new List<RedisValue>(email is null ? NoJob : RedisEmailJobStore.EnqueueArguments(email))
            {
                expiresAt.ToUnixTimeMilliseconds(), (long)_retention.TotalMilliseconds, now.ToUnixTimeMilliseconds(),
            };
            foreach (var credential in credentials)
            {
                arguments.Add(CredentialField());
                arguments.Add(Encode(credential));
            }
            await database.ScriptEvaluateAsync(ResendScript,
                [LoginKey(loginId), .. RedisEmailJobStore.EnqueueKeys(loginId, email)], [.. arguments]);
        });
}
