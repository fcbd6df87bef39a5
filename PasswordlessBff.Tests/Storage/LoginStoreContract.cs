using System.Security.Cryptography;
using PasswordlessBff.Limits;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Tests.Storage;

// What every ILoginStore must do, whichever database is behind it: one body per rule, one line per store below.
public abstract class LoginStoreContract<TStore>(TStore store) : IClassFixture<TStore> where TStore : StoreFixture
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly AddressFailurePolicy Policy = new(FreeFailures: 2, MaxFailures: 4, Window: TimeSpan.FromHours(1),
        FirstDelay: TimeSpan.FromSeconds(1), MaxDelay: TimeSpan.FromSeconds(4));

    private ILoginStore Logins => store.Logins;

    private DateTimeOffset Now => store.Time.GetUtcNow();

    [Theory]
    [InlineData("state-from-the-caller")]
    [InlineData(null)]
    public async Task EveryFieldOfALoginRoundTrips(string? state)
    {
        var login = NewLogin(state: state) with
        {
            Locale = "de-CH",
            TemplateVariables = new Dictionary<string, string> { ["product"] = "Zähler", ["team"] = "Blau | Grün" },
            LastSentAt = Now + TimeSpan.FromMilliseconds(7),
            CodeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ApprovalNumber = "07",
            AskedBy = "Firefox on Linux",
        };

        await Logins.CreateLoginAsync(login, CancellationToken.None);

        AssertSame(login, await Logins.GetLoginAsync(login.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ALoginWithoutLanguageVariablesOrResendRoundTripsWithNulls()
    {
        var login = NewLogin();

        await Logins.CreateLoginAsync(login, CancellationToken.None);

        AssertSame(login, await Logins.GetLoginAsync(login.Id, CancellationToken.None));
    }

    [Theory]
    [InlineData(LoginApproval.Approved)]
    [InlineData(LoginApproval.Refused)]
    public async Task AnApprovalIsDecidedOnceAndARefusalLocksTheLogin(LoginApproval decision)
    {
        var login = NewLogin() with { ApprovalNumber = "42" };
        await Logins.CreateLoginAsync(login, CancellationToken.None);

        Assert.True(await Logins.TryDecideApprovalAsync(login.Id, decision, 5, CancellationToken.None));
        Assert.False(await Logins.TryDecideApprovalAsync(login.Id, LoginApproval.Approved, 5, CancellationToken.None));
        Assert.False(await Logins.TryDecideApprovalAsync(login.Id, LoginApproval.Refused, 5, CancellationToken.None));

        var decided = await Logins.GetLoginAsync(login.Id, CancellationToken.None);
        Assert.Equal(decision, decided!.Approval);
        Assert.Equal(decision == LoginApproval.Refused ? 5 : 0, decided.FailedAttempts);
        Assert.Equal(decision == LoginApproval.Approved, await Logins.TryCompleteLoginAsync(login.Id, 5, Now, CancellationToken.None));
    }

    [Fact]
    public async Task ACompletedLockedOrUnknownLoginTakesNoApproval()
    {
        var completed = NewLogin();
        var locked = NewLogin();
        await Logins.CreateLoginAsync(completed, CancellationToken.None);
        await Logins.CreateLoginAsync(locked, CancellationToken.None);
        await Logins.TryCompleteLoginAsync(completed.Id, 5, Now, CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await Logins.RecordFailedAttemptAsync(locked.Id, CancellationToken.None);
        }

        Assert.False(await Logins.TryDecideApprovalAsync(completed.Id, LoginApproval.Approved, 5, CancellationToken.None));
        Assert.False(await Logins.TryDecideApprovalAsync(locked.Id, LoginApproval.Approved, 5, CancellationToken.None));
        Assert.False(await Logins.TryDecideApprovalAsync("unknown", LoginApproval.Refused, 5, CancellationToken.None));
        Assert.Equal(LoginApproval.None, (await Logins.GetLoginAsync(completed.Id, CancellationToken.None))!.Approval);
    }

    [Fact]
    public async Task AnUnknownLoginIsNull()
    {
        Assert.Null(await Logins.GetLoginAsync("no-such-login", CancellationToken.None));
        Assert.Null(await Logins.FindLinkOwnerAsync(RandomNumberGenerator.GetBytes(32), CancellationToken.None));
    }

    [Fact]
    public async Task TheEmailQuotaAllowsUpToTheLimitThenRefusesUntilTheOldestSendLeavesTheWindow()
    {
        var address = RandomNumberGenerator.GetBytes(32);
        var start = Now;

        Assert.Equal(new EmailQuota(true, TimeSpan.Zero), await CountAsync(address, start));
        Assert.Equal(new EmailQuota(true, TimeSpan.Zero), await CountAsync(address, start + TimeSpan.FromSeconds(10)));
        Assert.Equal(new EmailQuota(false, TimeSpan.FromSeconds(40)), await CountAsync(address, start + TimeSpan.FromSeconds(20)));

        // The first send has left the window; the refused one never counted.
        Assert.Equal(new EmailQuota(true, TimeSpan.Zero), await CountAsync(address, start + Minute));
        Assert.Equal(new EmailQuota(false, TimeSpan.FromSeconds(10)), await CountAsync(address, start + Minute));
        Assert.Equal(new EmailQuota(true, TimeSpan.Zero), await CountAsync(RandomNumberGenerator.GetBytes(32), start + Minute));
    }

    [Fact]
    public async Task CreatingALoginWithinTheQuotaCommitsTheSendAndTheLoginTogether()
    {
        var address = RandomNumberGenerator.GetBytes(32);
        var allowed = NewLogin() with { Locale = "fr", TemplateVariables = new Dictionary<string, string> { ["app"] = "Acme" } };

        var quota = await Logins.CreateLoginWithinQuotaAsync(allowed, address, 1, Minute, email: null, CancellationToken.None);

        Assert.Equal(new EmailQuota(true, TimeSpan.Zero), quota);
        AssertSame(allowed, await Logins.GetLoginAsync(allowed.Id, CancellationToken.None));
        var link = allowed.Credentials.Single(c => c.Kind == CredentialKind.Link);
        Assert.Equal(new LinkOwner(allowed.Id, link.ExpiresAt), await Logins.FindLinkOwnerAsync(link.Hash, CancellationToken.None));
        Assert.False((await Logins.TryCountEmailAsync(address, allowed.CreatedAt, 1, Minute, CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task CreatingALoginOverTheQuotaStoresNeitherTheSendNorTheLogin()
    {
        var address = RandomNumberGenerator.GetBytes(32);
        var first = NewLogin();
        await Logins.CreateLoginWithinQuotaAsync(first, address, 1, Minute, email: null, CancellationToken.None);
        var refused = NewLogin(createdAt: first.CreatedAt + TimeSpan.FromSeconds(15));

        var quota = await Logins.CreateLoginWithinQuotaAsync(refused, address, 1, Minute, email: null, CancellationToken.None);

        Assert.Equal(new EmailQuota(false, TimeSpan.FromSeconds(45)), quota);
        Assert.Null(await Logins.GetLoginAsync(refused.Id, CancellationToken.None));
        Assert.Null(await Logins.FindLinkOwnerAsync(refused.Credentials.Single(c => c.Kind == CredentialKind.Link).Hash, CancellationToken.None));
        // Had the refused send counted, the budget would still be spent a minute after the first.
        Assert.True((await CountAsync(address, first.CreatedAt + Minute)).Allowed);
    }

    [Fact]
    public async Task AResendIsClaimedOnlyAfterResendAfterAndARefusalSaysHowLongToWait()
    {
        var login = NewLogin();
        await Logins.CreateLoginAsync(login, CancellationToken.None);
        var resendAfter = TimeSpan.FromSeconds(30);

        var early = await ClaimAsync(login.Id, login.CreatedAt + TimeSpan.FromSeconds(10), resendAfter);
        var due = await ClaimAsync(login.Id, login.CreatedAt + resendAfter, resendAfter);
        var again = await ClaimAsync(login.Id, login.CreatedAt + TimeSpan.FromSeconds(40), resendAfter);

        Assert.Equal(new ResendSlot(false, TimeSpan.FromSeconds(20)), early);
        Assert.Equal(new ResendSlot(true, TimeSpan.Zero), due);
        Assert.Equal(new ResendSlot(false, TimeSpan.FromSeconds(20)), again);
        Assert.Equal(login.CreatedAt + resendAfter, (await Logins.GetLoginAsync(login.Id, CancellationToken.None))!.LastSentAt);
    }

    [Fact]
    public async Task OfConcurrentResendClaimsExactlyOneWins()
    {
        var login = NewLogin();
        await Logins.CreateLoginAsync(login, CancellationToken.None);
        var at = login.CreatedAt + Minute;

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => ClaimAsync(login.Id, at, Minute))));

        Assert.Single(claims, c => c.Allowed);
        Assert.All(claims.Where(c => !c.Allowed), c => Assert.Equal(Minute, c.RetryAfter));
    }

    [Fact]
    public async Task AResendForAnUnknownLoginIsRefused()
    {
        Assert.False((await ClaimAsync("no-such-login", Now, Minute)).Allowed);
    }

    [Fact]
    public async Task TheAddressGateDelaysGuessesAfterTheFreeFailuresAndLocksAtTheMaximumUntilTheWindowEnds()
    {
        var address = RandomNumberGenerator.GetBytes(32);
        var start = Now;
        Assert.Equal(new AddressGate(true, TimeSpan.Zero), await GateAsync(address, start));

        await FailAsync(address, start);
        Assert.Equal(new AddressGate(true, TimeSpan.Zero), await GateAsync(address, start));
        await FailAsync(address, start);
        Assert.Equal(new AddressGate(false, TimeSpan.FromSeconds(1)), await GateAsync(address, start));

        var later = start + TimeSpan.FromSeconds(1);
        var guesses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => GateAsync(address, later))));
        Assert.Single(guesses, g => g.Allowed);
        Assert.Equal(new AddressGate(false, TimeSpan.FromSeconds(1)), await GateAsync(address, later));

        await FailAsync(address, later);
        await FailAsync(address, later);
        Assert.Equal(new AddressGate(false, TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1)), await GateAsync(address, later));
        Assert.Equal(new AddressGate(true, TimeSpan.Zero), await GateAsync(address, start + TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task ClearingAnAddressStartsItAfresh()
    {
        var address = RandomNumberGenerator.GetBytes(32);
        for (var i = 0; i < Policy.MaxFailures; i++)
        {
            await FailAsync(address, Now);
        }
        Assert.False((await GateAsync(address, Now)).Allowed);

        await Logins.ClearAddressFailuresAsync(address, CancellationToken.None);

        Assert.Equal(new AddressGate(true, TimeSpan.Zero), await GateAsync(address, Now));
        await FailAsync(address, Now);
        Assert.True((await GateAsync(address, Now)).Allowed);
    }

    [Fact]
    public async Task AFailureAfterTheWindowCountsAsTheFirstOfANewWindow()
    {
        var address = RandomNumberGenerator.GetBytes(32);
        await FailAsync(address, Now);
        await FailAsync(address, Now);
        var nextWindow = Now + Policy.Window;

        await FailAsync(address, nextWindow);

        Assert.Equal(new AddressGate(true, TimeSpan.Zero), await GateAsync(address, nextWindow));
    }

    [Fact]
    public async Task OfFiftyConcurrentCompletionsExactlyOneSucceeds()
    {
        var login = NewLogin();
        await Logins.CreateLoginAsync(login, CancellationToken.None);

        var completions = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(() => Logins.TryCompleteLoginAsync(login.Id, 5, Now, CancellationToken.None))));

        Assert.Single(completions, c => c);
        Assert.True((await Logins.GetLoginAsync(login.Id, CancellationToken.None))!.Completed);
        Assert.False(await Logins.TryCompleteLoginAsync(login.Id, 5, Now, CancellationToken.None));
    }

    [Fact]
    public async Task CompletingIsRefusedOnceMaxFailedAttemptsWrongCodesWereSeen()
    {
        var refused = NewLogin();
        var allowed = NewLogin();
        await Logins.CreateLoginAsync(refused, CancellationToken.None);
        await Logins.CreateLoginAsync(allowed, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await Logins.RecordFailedAttemptAsync(refused.Id, CancellationToken.None);
            await Logins.RecordFailedAttemptAsync(allowed.Id, CancellationToken.None);
        }

        Assert.False(await Logins.TryCompleteLoginAsync(refused.Id, 3, Now, CancellationToken.None));
        Assert.True(await Logins.TryCompleteLoginAsync(allowed.Id, 4, Now, CancellationToken.None));
        Assert.False((await Logins.GetLoginAsync(refused.Id, CancellationToken.None))!.Completed);
        Assert.Equal(3, (await Logins.GetLoginAsync(refused.Id, CancellationToken.None))!.FailedAttempts);
        Assert.False(await Logins.TryCompleteLoginAsync("no-such-login", 5, Now, CancellationToken.None));
    }

    [Fact]
    public async Task FailedAttemptsAreCountedOneByOneEvenWhenConcurrent()
    {
        var login = NewLogin();
        await Logins.CreateLoginAsync(login, CancellationToken.None);

        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => Logins.RecordFailedAttemptAsync(login.Id, CancellationToken.None))));

        Assert.Equal(Enumerable.Range(1, 20), counts.Order());
        Assert.Equal(20, (await Logins.GetLoginAsync(login.Id, CancellationToken.None))!.FailedAttempts);
        Assert.Equal(0, await Logins.RecordFailedAttemptAsync("no-such-login", CancellationToken.None));
    }

    [Fact]
    public async Task ALinkNamesItsLoginAndItsOwnExpiryButACodeIsNoLink()
    {
        var login = NewLogin();
        await Logins.CreateLoginAsync(login, CancellationToken.None);
        var link = login.Credentials.Single(c => c.Kind == CredentialKind.Link);
        var code = login.Credentials.Single(c => c.Kind == CredentialKind.Code);

        Assert.Equal(new LinkOwner(login.Id, link.ExpiresAt), await Logins.FindLinkOwnerAsync(link.Hash, CancellationToken.None));
        Assert.Null(await Logins.FindLinkOwnerAsync(code.Hash, CancellationToken.None));
    }

    [Fact]
    public async Task AddingCredentialsKeepsTheOldOnesAddsTheNewAndExtendsTheLogin()
    {
        var login = NewLogin();
        await Logins.CreateLoginAsync(login, CancellationToken.None);
        var expiresAt = login.ExpiresAt + TimeSpan.FromMinutes(3);
        var added = Credentials(expiresAt);

        await Logins.AddCredentialsAsync(login.Id, added, expiresAt, email: null, CancellationToken.None);
        await Logins.AddCredentialsAsync(login.Id, [], login.ExpiresAt, email: null, CancellationToken.None);

        AssertSame(login with { ExpiresAt = expiresAt, Credentials = [.. login.Credentials, .. added] },
            await Logins.GetLoginAsync(login.Id, CancellationToken.None));
        var link = added.Single(c => c.Kind == CredentialKind.Link);
        Assert.Equal(new LinkOwner(login.Id, link.ExpiresAt), await Logins.FindLinkOwnerAsync(link.Hash, CancellationToken.None));
    }

    private PendingLogin NewLogin(string? state = null, DateTimeOffset? createdAt = null)
    {
        var created = createdAt ?? Now;
        var expires = created + TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1);
        return new PendingLogin(Guid.NewGuid().ToString("N"), $"{Guid.NewGuid():N}@example.com", "/after?x=1", "sign-in", state,
            created, expires, Completed: false, FailedAttempts: 0, Credentials(expires));
    }

    private static StoredCredential[] Credentials(DateTimeOffset expiresAt) =>
    [
        new(CredentialKind.Code, RandomNumberGenerator.GetBytes(32), expiresAt),
        new(CredentialKind.Link, RandomNumberGenerator.GetBytes(32), expiresAt - TimeSpan.FromMilliseconds(1)),
    ];

    private static void AssertSame(PendingLogin expected, PendingLogin? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Credentials = [], TemplateVariables = null }, actual with { Credentials = [], TemplateVariables = null });
        Assert.Equal(expected.TemplateVariables?.OrderBy(v => v.Key), actual.TemplateVariables?.OrderBy(v => v.Key));
        Assert.Equal(Describe(expected.Credentials), Describe(actual.Credentials));
    }

    private static IEnumerable<string> Describe(IEnumerable<StoredCredential> credentials) =>
        credentials.Select(c => $"{c.Kind} {Convert.ToHexString(c.Hash)} {c.ExpiresAt:O}").Order();

    private Task<EmailQuota> CountAsync(byte[] address, DateTimeOffset at) =>
        Logins.TryCountEmailAsync(address, at, 2, Minute, CancellationToken.None);

    private Task<ResendSlot> ClaimAsync(string loginId, DateTimeOffset at, TimeSpan resendAfter) =>
        Logins.TryClaimResendAsync(loginId, at, resendAfter, CancellationToken.None);

    private Task<AddressGate> GateAsync(byte[] address, DateTimeOffset at) =>
        Logins.TryPassAddressGateAsync(address, at, Policy, CancellationToken.None);

    private Task FailAsync(byte[] address, DateTimeOffset at) =>
        Logins.RecordAddressFailureAsync(address, at, Policy, CancellationToken.None);
}

public sealed class LoginStoreContractOnSqlite(SqliteStoreFixture store) : LoginStoreContract<SqliteStoreFixture>(store);
public sealed class LoginStoreContractOnRedis(RedisStoreFixture store) : LoginStoreContract<RedisStoreFixture>(store);

public sealed class LoginStoreContractOnRedisCluster(RedisClusterStoreFixture store) : LoginStoreContract<RedisClusterStoreFixture>(store);
