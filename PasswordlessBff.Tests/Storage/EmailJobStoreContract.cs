using System.Security.Cryptography;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Tests.Storage;

// What every store's durable email queue must do: jobs are committed with their login, claimed once at a time, claimed
// again after a worker died, and never handed out again once their SMTP DATA may have begun.
public abstract class EmailJobStoreContract<TStore>(TStore store) : IClassFixture<TStore> where TStore : StoreFixture
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private IEmailJobStore Jobs => store.EmailJobs;

    private DateTimeOffset Now => store.Time.GetUtcNow();

    [Fact]
    public async Task ASendCommitsItsEmailJobWithTheLoginAndARefusedSendQueuesNothing()
    {
        await DrainAsync();
        var address = RandomNumberGenerator.GetBytes(32);
        var login = NewLogin();
        var job = NewJob(login.Id);
        var refused = NewLogin();

        await store.Logins.CreateLoginWithinQuotaAsync(login, address, 1, Minute, job, CancellationToken.None);
        await store.Logins.CreateLoginWithinQuotaAsync(refused, address, 1, Minute, NewJob(refused.Id), CancellationToken.None);

        var claimed = await ClaimAsync();
        Assert.NotNull(claimed);
        Assert.Equal(job, claimed.Job with { Payload = job.Payload });
        Assert.Equal(job.Payload, claimed.Job.Payload);
        Assert.Equal(1, claimed.Claims);
        Assert.False(claimed.MayHaveBeenSent);
        Assert.Null(await ClaimAsync());
    }

    [Fact]
    public async Task AResendQueuesItsEmailWithItsNewCredentials()
    {
        await DrainAsync();
        var login = NewLogin();
        await store.Logins.CreateLoginAsync(login, CancellationToken.None);
        var job = NewJob(login.Id);

        await store.Logins.AddCredentialsAsync(login.Id, [], login.ExpiresAt, job, CancellationToken.None);

        Assert.Equal(job.Id, (await ClaimAsync())?.Job.Id);
    }

    [Fact]
    public async Task AClaimedJobIsClaimedAgainOnlyAfterItsClaimTimesOutAndTheOldClaimThenChangesNothing()
    {
        var first = await QueueOneAsync();
        Assert.Null(await ClaimAsync());

        store.Time.Advance(Timeout);
        var second = await ClaimAsync();

        Assert.Equal(first.Job.Id, second?.Job.Id);
        Assert.Equal(2, second!.Claims);
        Assert.False(second.MayHaveBeenSent);
        Assert.False(await Jobs.MarkSendingAsync(first.Job.Id, first.Claim, Now, Timeout, CancellationToken.None));
        await Jobs.FinishAsync(first.Job.Id, first.Claim, CancellationToken.None);
        Assert.Equal(1, (await Jobs.StatsAsync(Now, CancellationToken.None)).Depth);
        await Jobs.FinishAsync(second.Job.Id, second.Claim, CancellationToken.None);
        Assert.Equal(0, (await Jobs.StatsAsync(Now, CancellationToken.None)).Depth);
    }

    [Fact]
    public async Task AJobWhoseWorkerDiedWhileSendingComesBackAsMaybeSentAndOnceUncertainIsNeverClaimedAgain()
    {
        var claimed = await QueueOneAsync();
        Assert.True(await Jobs.MarkSendingAsync(claimed.Job.Id, claimed.Claim, Now, Timeout, CancellationToken.None));

        store.Time.Advance(Timeout);
        var again = await ClaimAsync();

        Assert.True(again?.MayHaveBeenSent);
        await Jobs.MarkUncertainAsync(again!.Job.Id, Now, CancellationToken.None);
        store.Time.Advance(Timeout);
        Assert.Null(await ClaimAsync());
        Assert.Equal(0, (await Jobs.StatsAsync(Now, CancellationToken.None)).Depth);
    }

    [Fact]
    public async Task ANotSentJobIsHeldWithoutTheSendingMarkAndAReleasedOneIsDueAtOnce()
    {
        var claimed = await QueueOneAsync();
        await Jobs.MarkSendingAsync(claimed.Job.Id, claimed.Claim, Now, Timeout, CancellationToken.None);
        Assert.True(await Jobs.MarkNotSentAsync(claimed.Job.Id, claimed.Claim, Now, Timeout, CancellationToken.None));
        store.Time.Advance(Timeout);
        var again = await ClaimAsync();
        Assert.False(again!.MayHaveBeenSent);

        await Jobs.ReleaseAsync(again.Job.Id, again.Claim, Now, CancellationToken.None);

        var released = await ClaimAsync();
        Assert.Equal(claimed.Job.Id, released?.Job.Id);
        Assert.False(released!.MayHaveBeenSent);
        await Jobs.FinishAsync(released.Job.Id, released.Claim, CancellationToken.None);
    }

    [Fact]
    public async Task TheStatsCountEveryUnfinishedJobAndHowLongTheOldestDueOneHasWaited()
    {
        await DrainAsync();
        var login = NewLogin();
        await store.Logins.CreateLoginAsync(login, CancellationToken.None);
        await store.Logins.AddCredentialsAsync(login.Id, [], login.ExpiresAt, NewJob(login.Id), CancellationToken.None);
        store.Time.Advance(TimeSpan.FromSeconds(3));
        await store.Logins.AddCredentialsAsync(login.Id, [], login.ExpiresAt, NewJob(login.Id), CancellationToken.None);
        store.Time.Advance(TimeSpan.FromSeconds(4));

        var stats = await Jobs.StatsAsync(Now, CancellationToken.None);

        Assert.Equal(new EmailQueueStats(2, TimeSpan.FromSeconds(7)), stats);
        await DrainAsync();
        Assert.Equal(new EmailQueueStats(0, TimeSpan.Zero), await Jobs.StatsAsync(Now, CancellationToken.None));
    }

    private async Task<ClaimedEmailJob> QueueOneAsync()
    {
        await DrainAsync();
        var login = NewLogin();
        await store.Logins.CreateLoginWithinQuotaAsync(login, RandomNumberGenerator.GetBytes(32), 1, Minute, NewJob(login.Id), CancellationToken.None);
        return (await ClaimAsync())!;
    }

    private Task<ClaimedEmailJob?> ClaimAsync() => Jobs.ClaimAsync(Now, Timeout, CancellationToken.None);

    // What earlier tests left behind: every due or held job finished.
    private async Task DrainAsync()
    {
        store.Time.Advance(Timeout);
        for (var i = 0; i < 100 && await ClaimAsync() is { } left; i++)
        {
            await Jobs.FinishAsync(left.Job.Id, left.Claim, CancellationToken.None);
        }
    }

    private EmailJob NewJob(string loginId) => new(EmailJob.NewId(loginId), loginId, RandomNumberGenerator.GetBytes(200),
        DateTimeOffset.FromUnixTimeMilliseconds(Now.ToUnixTimeMilliseconds()), DateTimeOffset.FromUnixTimeMilliseconds((Now + TimeSpan.FromMinutes(5)).ToUnixTimeMilliseconds()));

    private PendingLogin NewLogin() => new(Guid.NewGuid().ToString("N"), $"{Guid.NewGuid():N}@example.com", "/", "sign-in", null,
        Now, Now + TimeSpan.FromMinutes(5), Completed: false, FailedAttempts: 0,
        [new(CredentialKind.Code, RandomNumberGenerator.GetBytes(32), Now + TimeSpan.FromMinutes(5))]);
}

public sealed class EmailJobStoreContractOnSqlite(SqliteStoreFixture store) : EmailJobStoreContract<SqliteStoreFixture>(store);
public sealed class EmailJobStoreContractOnRedis(RedisStoreFixture store) : EmailJobStoreContract<RedisStoreFixture>(store);

public sealed class EmailJobStoreContractOnRedisCluster(RedisClusterStoreFixture store) : EmailJobStoreContract<RedisClusterStoreFixture>(store);
