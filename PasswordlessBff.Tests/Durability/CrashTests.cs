using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using PasswordlessBff.Storage.Redis;
using PasswordlessBff.Tests.Infrastructure;
using StackExchange.Redis;

namespace PasswordlessBff.Tests.Durability;

// Issue 18, item 2: SIGKILL in the middle of a burst of sends and verifications, on each store. Nothing the service
// answered 200 to may be lost: the email (exactly one, at a real SMTP server that outlives the process) and the session.
public sealed class CrashTests
{
    private const int Prepared = 10;
    private const int KillAfterSends = 40;

    [Fact]
    public async Task OnSqliteEveryAcceptedSendGetsExactlyOneEmailAndEverySessionWorksAfterASigkillAndARestart()
    {
        await using var smtp = new SmtpSink();
        var data = ServiceProcess.NewDataDirectory();
        var settings = Settings();
        var burst = new SignInBurst();
        try
        {
            await using (var first = await ServiceProcess.StartAsync(settings, sharedSmtp: smtp, sharedDataDirectory: data))
            {
                var prepared = await SignInBurst.PrepareAsync(first, Prepared);
                await burst.RunAsync([first], prepared, victim: first, KillAfterSends);
            }
            // The kill left accepted sends without their email: what the restart owes (an in-memory queue lost them).
            Assert.True(burst.UndeliveredAtKill > 0, "every email was out before the kill; the test proved nothing");
            var database = ServiceProcess.DatabasePath(data);
            await using (var restarted = await ServiceProcess.StartAsync(settings, sharedSmtp: smtp, sharedDataDirectory: data))
            {
                await burst.AssertEveryAcceptedSendHasExactlyOneEmailAsync(smtp, () => SqliteQueueAsync(database));
                await burst.AssertEveryAcceptedSessionWorksAsync(restarted);
            }
            Assert.Equal("ok", await IntegrityAsync(database));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task OnRedisWithTwoInstancesKillingOneLosesNoAcceptedEmailOrSession()
    {
        await using var redis = RedisServer.Start();
        await KillOneOfTwoAsync(redis.Configuration);
    }

    // The same on the three-master cluster: the killed instance's jobs sit in shards on every master.
    [Fact]
    public Task OnRedisClusterWithTwoInstancesKillingOneLosesNoAcceptedEmailOrSession() =>
        KillOneOfTwoAsync(RedisClusterServer.Shared.Configuration);

    private static async Task KillOneOfTwoAsync(string configuration)
    {
        await using var smtp = new SmtpSink();
        var prefix = RedisStore.NewKeyPrefix();
        var settings = Settings();
        settings["Storage__Provider"] = "Redis";
        settings["Storage__Redis__Configuration"] = configuration;
        settings["Storage__Redis__KeyPrefix"] = prefix;
        var burst = new SignInBurst();
        await using var survivor = await ServiceProcess.StartAsync(settings, sharedSmtp: smtp);
        await using (var victim = await ServiceProcess.StartAsync(settings, sharedSmtp: smtp))
        {
            var prepared = await SignInBurst.PrepareAsync(victim, Prepared);
            await burst.RunAsync([victim, survivor], prepared, victim, KillAfterSends);
        }
        Assert.True(burst.UndeliveredAtKill > 0, "every email was out before the kill; the test proved nothing");
        await using var inspector = await ConnectionMultiplexer.ConnectAsync(configuration);
        await burst.AssertEveryAcceptedSendHasExactlyOneEmailAsync(smtp, () => RedisQueueAsync(inspector.GetDatabase(), prefix));
        await burst.AssertEveryAcceptedSessionWorksAsync(survivor);
    }

    // A short claim timeout, so the jobs the killed process held are due again within the test; one public origin and
    // signing key for every process (the session cookie's issuer), as behind one load balancer.
    private static Dictionary<string, string?> Settings() => new()
    {
        ["Passwordless__PublicBaseUrl"] = "https://bff.example",
        ["Session__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Email__ClaimTimeoutSeconds"] = "2",
        ["RateLimits__SendPerMinute"] = "100000",
        ["RateLimits__VerifyPerMinute"] = "100000",
    };

    private static async Task<(long, IReadOnlySet<string>)> SqliteQueueAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        var depth = connection.CreateCommand();
        depth.CommandText = "SELECT COUNT(*) FROM email_jobs WHERE uncertain_at IS NULL";
        var pending = (long)(await depth.ExecuteScalarAsync())!;
        var uncertain = connection.CreateCommand();
        uncertain.CommandText = "SELECT login_id FROM email_jobs WHERE uncertain_at IS NOT NULL";
        var logins = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await uncertain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            logins.Add(reader.GetString(0));
        }
        return (pending, logins);
    }

    private static async Task<(long, IReadOnlySet<string>)> RedisQueueAsync(IDatabase redis, string prefix)
    {
        long depth = 0;
        var logins = new HashSet<string>(StringComparer.Ordinal);
        foreach (var shard in RedisShards.Tags)
        {
            depth += await redis.SortedSetLengthAsync($"{prefix}email-jobs:{shard}");
            logins.UnionWith((await redis.SortedSetRangeByRankAsync($"{prefix}email-jobs:uncertain:{shard}")).Select(u => u.ToString().Split('|')[1]));
        }
        return (depth, logins);
    }

    private static async Task<string> IntegrityAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        return Convert.ToString(await check.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}
