using PasswordlessBff.Limits;
using StackExchange.Redis;

namespace PasswordlessBff.Storage.Redis;

// Send and resend: the login (or its new credentials) and its email job are written in one step, so a send that
// answered 200 has its email queued durably, and nothing is queued for a login that was not stored.
public sealed partial class RedisLoginStore
{
    // KEYS: the address's sends, the queue, the jobs hash, the login, its link index keys. ARGV: the count's five, the
    // job's three, then store()'s.
    private const string CreateWithinQuotaScript = CountEmail + "\n" + RedisEmailJobStore.EnqueueFunction + "\n" + StoreLogin + "\n" + """
        local blocking = count()
        if blocking == -1 then
          if ARGV[6] ~= '' then enqueue(2, 6) end
          store(4, 9)
        end
        return blocking
        """;

    private const string EnqueueScript = RedisEmailJobStore.EnqueueFunction + "\nenqueue(1, 1) return 1";

    private static readonly RedisValue[] NoJob = ["", "", 0];

    public Task<EmailQuota> CreateLoginWithinQuotaAsync(PendingLogin login, byte[] addressKey, int limit, TimeSpan window, EmailJob? email,
        CancellationToken ct) =>
        redis.RunAsync(async database => Quota(await database.ScriptEvaluateAsync(CreateWithinQuotaScript,
            [EmailKey(addressKey), RedisEmailJobStore.Queue, RedisEmailJobStore.Jobs, LoginKey(login.Id), .. LinkKeys(login)],
            [
                .. CountArguments(login.CreatedAt, limit, window),
                .. email is null ? NoJob : RedisEmailJobStore.EnqueueArguments(email),
                .. StoreArguments(login),
            ]), login.CreatedAt, window));

    public Task AddCredentialsAsync(string loginId, IReadOnlyList<StoredCredential> credentials, DateTimeOffset expiresAt, EmailJob? email,
        CancellationToken ct) =>
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
            if (email is not null)
            {
                _ = transaction.ScriptEvaluateAsync(EnqueueScript, [RedisEmailJobStore.Queue, RedisEmailJobStore.Jobs],
                    RedisEmailJobStore.EnqueueArguments(email));
            }
            await transaction.ExecuteAsync();
        });
}
