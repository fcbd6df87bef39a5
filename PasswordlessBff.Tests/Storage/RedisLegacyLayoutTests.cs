using System.Security.Cryptography;
using PasswordlessBff.Storage;
using PasswordlessBff.Tests.Infrastructure;
using StackExchange.Redis;

namespace PasswordlessBff.Tests.Storage;

// An upgrade from the layout before Redis Cluster support (no hash tags): the login that was pending and the email that
// was queued are found under the new layout after the first start, and the marker skips the move afterwards.
public sealed class RedisLegacyLayoutTests
{
    [Fact]
    public async Task APendingLoginAndAQueuedEmailFromTheOldLayoutSurviveTheUpgrade()
    {
        var fixture = new RedisStoreFixture();
        await using var raw = await ConnectionMultiplexer.ConnectAsync(RedisServer.Shared.Configuration);
        var old = raw.GetDatabase();
        var now = fixture.Time.GetUtcNow();
        var loginId = Guid.NewGuid().ToString("N");
        var hash = RandomNumberGenerator.GetBytes(32);
        var expires = now.AddMinutes(15).ToUnixTimeMilliseconds();
        // Written as the version before wrote them.
        await old.HashSetAsync($"{fixture.KeyPrefix}login:{loginId}",
        [
            new("email", "old@example.com"), new("returnTo", "/"), new("template", "sign-in"), new("failed", 0),
            new("createdAt", now.ToUnixTimeMilliseconds()), new("expiresAt", expires),
            new("cred:1", $"{(int)CredentialKind.Code}|{expires}|{Convert.ToBase64String(hash)}"),
        ]);
        var jobId = Guid.NewGuid().ToString("N");
        await old.SortedSetAddAsync($"{fixture.KeyPrefix}email-jobs", jobId, now.ToUnixTimeMilliseconds());
        await old.HashSetAsync($"{fixture.KeyPrefix}email-jobs:data", jobId, $"{loginId}|{now.ToUnixTimeMilliseconds()}|{expires}|AQID");

        await fixture.InitializeAsync();
        try
        {
            var login = await fixture.Logins.GetLoginAsync(loginId, CancellationToken.None);
            Assert.Equal("old@example.com", login?.Email);
            Assert.Equal(hash, Assert.Single(login!.Credentials).Hash);
            var claimed = await fixture.EmailJobs.ClaimAsync(now, TimeSpan.FromSeconds(10), CancellationToken.None);
            var job = Assert.IsType<ClaimedEmailJob>(claimed).Job;
            Assert.Equal((jobId, loginId, now, DateTimeOffset.FromUnixTimeMilliseconds(expires)), (job.Id, job.LoginId, job.QueuedAt, job.ExpiresAt));
            Assert.Equal([1, 2, 3], job.Payload);
            Assert.Equal(0, await old.SortedSetLengthAsync($"{fixture.KeyPrefix}email-jobs"));
            Assert.Equal("shards-16", (string?)await old.StringGetAsync($"{fixture.KeyPrefix}key-layout"));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
