using System.Diagnostics;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Tests.Storage;

// What every ISessionStore must do, whichever database is behind it: one body per rule, one line per store below.
// Reads that must come from the database go through a second instance, which has nothing cached.
public abstract class SessionStoreContract<TStore>(TStore store) : IClassFixture<TStore> where TStore : StoreFixture
{
    private ISessionStore Sessions => store.Sessions;

    private DateTimeOffset Now => store.Time.GetUtcNow();

    [Theory]
    [InlineData("Laptop/1.0", true)]
    [InlineData(null, true)]
    [InlineData("Laptop/1.0", false)]
    public async Task EveryFieldOfASessionRoundTripsItsUserIdRolesAndClaimsIncluded(string? device, bool withUser)
    {
        var session = NewSession(device: device) with { User = withUser ? NewSession().User : null };

        await Sessions.CreateSessionAsync(session, CancellationToken.None);

        Assert.Equal(session, await Sessions.GetSessionAsync(session.Id, CancellationToken.None));
        Assert.Equal(session, await store.OtherInstance.GetSessionAsync(session.Id, CancellationToken.None));
    }

    [Fact]
    public async Task TimesAreKeptToTheMillisecond()
    {
        var session = NewSession() with { LastSeenAt = Now + TimeSpan.FromTicks(4_321) };

        await Sessions.CreateSessionAsync(session, CancellationToken.None);

        var expected = session with { LastSeenAt = Now };
        Assert.Equal(expected, await Sessions.GetSessionAsync(session.Id, CancellationToken.None));
        Assert.Equal(expected, await store.OtherInstance.GetSessionAsync(session.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AnUnknownSessionIsNull()
    {
        Assert.Null(await Sessions.GetSessionAsync("no-such-session", CancellationToken.None));
    }

    [Fact]
    public async Task TouchingMovesLastSeenForwardOnly()
    {
        var session = NewSession();
        await Sessions.CreateSessionAsync(session, CancellationToken.None);
        var used = session.LastSeenAt + TimeSpan.FromMinutes(2);

        await Sessions.TouchSessionAsync(session.Id, used, CancellationToken.None);
        await Sessions.TouchSessionAsync(session.Id, session.LastSeenAt, CancellationToken.None);

        Assert.Equal(used, (await Sessions.GetSessionAsync(session.Id, CancellationToken.None))!.LastSeenAt);
        Assert.Equal(used, (await store.OtherInstance.GetSessionAsync(session.Id, CancellationToken.None))!.LastSeenAt);
    }

    [Fact]
    public async Task ARevokedSessionIsSeenRevokedHereAndOnTheOtherInstance()
    {
        var session = NewSession();
        await Sessions.CreateSessionAsync(session, CancellationToken.None);
        await store.OtherInstance.GetSessionAsync(session.Id, CancellationToken.None);
        var revokedAt = Now + TimeSpan.FromSeconds(1);

        await Sessions.RevokeSessionAsync(session.Id, revokedAt, CancellationToken.None);
        await Sessions.RevokeSessionAsync(session.Id, revokedAt + TimeSpan.FromSeconds(1), CancellationToken.None);
        await Sessions.TouchSessionAsync(session.Id, revokedAt + TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(session with { RevokedAt = revokedAt }, await Sessions.GetSessionAsync(session.Id, CancellationToken.None));
        await SeenRevokedByTheOtherInstanceAsync(session.Id, revokedAt);
    }

    [Fact]
    public async Task TheListHoldsOnlyThatPersonsLiveSessions()
    {
        var email = Email();
        var live = NewSession(email);
        var revoked = NewSession(email);
        var ending = NewSession(email) with { AbsoluteExpiresAt = Now + TimeSpan.FromMinutes(1) };
        var someoneElses = NewSession();
        foreach (var session in new[] { live, revoked, ending, someoneElses })
        {
            await Sessions.CreateSessionAsync(session, CancellationToken.None);
        }
        await Sessions.RevokeSessionAsync(revoked.Id, Now, CancellationToken.None);

        var listed = await Sessions.ListSessionsAsync(email, Now + TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal([live], listed);
        Assert.Equal([live, ending], (await Sessions.ListSessionsAsync(email, Now, CancellationToken.None)).OrderBy(s => s == ending));
    }

    [Fact]
    public async Task RevokingTheOthersRevokesEveryOtherSessionOfThePersonAndCountsThem()
    {
        var email = Email();
        var kept = NewSession(email);
        var others = new[] { NewSession(email), NewSession(email) };
        var someoneElses = NewSession();
        foreach (var session in others.Append(kept).Append(someoneElses))
        {
            await Sessions.CreateSessionAsync(session, CancellationToken.None);
            await store.OtherInstance.GetSessionAsync(session.Id, CancellationToken.None);
        }

        Assert.Equal(2, await Sessions.RevokeOtherSessionsAsync(email, kept.Id, Now, CancellationToken.None));
        Assert.Equal(0, await Sessions.RevokeOtherSessionsAsync(email, kept.Id, Now, CancellationToken.None));

        Assert.Equal([kept], await Sessions.ListSessionsAsync(email, Now, CancellationToken.None));
        Assert.Null((await Sessions.GetSessionAsync(kept.Id, CancellationToken.None))!.RevokedAt);
        Assert.Null((await Sessions.GetSessionAsync(someoneElses.Id, CancellationToken.None))!.RevokedAt);
        foreach (var other in others)
        {
            Assert.Equal(Now, (await Sessions.GetSessionAsync(other.Id, CancellationToken.None))!.RevokedAt);
            await SeenRevokedByTheOtherInstanceAsync(other.Id, Now);
        }
    }

    [Fact]
    public async Task TheUserListHoldsOnlyThatUsersLiveSessionsWhateverTheirAddress()
    {
        var user = NewUser();
        var first = NewSession() with { User = user };
        var second = NewSession() with { User = user };
        var revoked = NewSession() with { User = user };
        var someoneElses = NewSession();
        foreach (var session in new[] { first, second, revoked, someoneElses })
        {
            await Sessions.CreateSessionAsync(session, CancellationToken.None);
        }
        await Sessions.RevokeSessionAsync(revoked.Id, Now, CancellationToken.None);

        var listed = await Sessions.ListUserSessionsAsync(user.Id, Now, CancellationToken.None);

        Assert.Equal([first, second], listed.OrderBy(s => s.Id == second.Id));
    }

    [Fact]
    public async Task RevokingAUsersSessionsRevokesEveryOneOfThemOnEveryInstanceAndCountsThem()
    {
        var user = NewUser();
        var theirs = new[] { NewSession() with { User = user }, NewSession() with { User = user } };
        var someoneElses = NewSession();
        foreach (var session in theirs.Append(someoneElses))
        {
            await Sessions.CreateSessionAsync(session, CancellationToken.None);
            await store.OtherInstance.GetSessionAsync(session.Id, CancellationToken.None);
        }

        Assert.Equal(2, await Sessions.RevokeUserSessionsAsync(user.Id, Now, CancellationToken.None));
        Assert.Equal(0, await Sessions.RevokeUserSessionsAsync(user.Id, Now, CancellationToken.None));

        Assert.Empty(await Sessions.ListUserSessionsAsync(user.Id, Now, CancellationToken.None));
        Assert.Null((await Sessions.GetSessionAsync(someoneElses.Id, CancellationToken.None))!.RevokedAt);
        foreach (var session in theirs)
        {
            await SeenRevokedByTheOtherInstanceAsync(session.Id, Now);
        }
    }

    // The other instance may answer from its cache until the revocation reaches it (pub/sub, or the SQLite re-read).
    private async Task SeenRevokedByTheOtherInstanceAsync(string sessionId, DateTimeOffset revokedAt)
    {
        var elapsed = Stopwatch.StartNew();
        while ((await store.OtherInstance.GetSessionAsync(sessionId, CancellationToken.None))?.RevokedAt != revokedAt)
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(1), $"the other instance still sees {sessionId} unrevoked");
            await Task.Delay(20);
        }
    }

    private SessionRecord NewSession(string? email = null, string? device = "Phone/2.0") =>
        new(Guid.NewGuid().ToString("N"), email ?? Email(), "/after?x=1", device,
            Now, Now + TimeSpan.FromHours(12) + TimeSpan.FromMilliseconds(9), Now, RevokedAt: null, NewUser());

    private static SessionUser NewUser() => new($"user-{Guid.NewGuid():N}", ["admin", "billing"],
        new Dictionary<string, string> { ["tenant"] = "t_42", ["plan"] = "pro", ["seats"] = "12" });

    private static string Email() => $"{Guid.NewGuid():N}@example.com";
}

public sealed class SessionStoreContractOnSqlite(SqliteStoreFixture store) : SessionStoreContract<SqliteStoreFixture>(store);
public sealed class SessionStoreContractOnRedis(RedisStoreFixture store) : SessionStoreContract<RedisStoreFixture>(store);

public sealed class SessionStoreContractOnRedisCluster(RedisClusterStoreFixture store) : SessionStoreContract<RedisClusterStoreFixture>(store);
