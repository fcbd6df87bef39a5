using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Tests.Storage;

// The cache both session stores share, with a rule the test controls.
public sealed class SessionCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly TestRule _rule;
    private readonly SessionCache _cache;

    public SessionCacheTests()
    {
        _rule = new TestRule(_time);
        _cache = new SessionCache(_rule, Options.Create(new PasswordlessBff.Sessions.SessionOptions()), _time);
    }

    [Fact]
    public void AReadThatRacedWithARevocationDoesNotStoreItsCopy()
    {
        var session = NewSession();
        var generation = _cache.Generation;

        _cache.Evict(session.Id);
        _cache.Put(session.Id, session, generation);

        Assert.False(_cache.TryGet(session.Id, out _));
    }

    [Fact]
    public void LastSeenIsExactInMemoryAndDueForAWriteOncePerInterval()
    {
        var session = NewSession();
        _cache.Created(session, _cache.Generation);

        Assert.False(_cache.Seen(session.Id, session.LastSeenAt + TimeSpan.FromSeconds(10)));
        Assert.True(_cache.TryGet(session.Id, out var cached));
        Assert.Equal(session.LastSeenAt + TimeSpan.FromSeconds(10), cached.LastSeenAt);

        Assert.True(_cache.Seen(session.Id, session.LastSeenAt + TimeSpan.FromSeconds(60)));
        _cache.Written(session.Id, session.LastSeenAt + TimeSpan.FromSeconds(60));
        Assert.False(_cache.Seen(session.Id, session.LastSeenAt + TimeSpan.FromSeconds(100)));
    }

    [Fact]
    public void AReReadKeepsTheNewerLastSeenNotYetWritten()
    {
        var session = NewSession();
        _cache.Created(session, _cache.Generation);
        _cache.Seen(session.Id, session.LastSeenAt + TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(_cache.TryGet(session.Id, out _));

        var reread = _cache.Put(session.Id, session, _cache.Generation);

        Assert.Equal(session.LastSeenAt + TimeSpan.FromSeconds(10), reread!.LastSeenAt);
    }

    [Fact]
    public void NoCopyAnswersWhileTheRuleDistrustsItNorARevokedOne()
    {
        var session = NewSession();
        _cache.Created(session, _cache.Generation);

        _rule.Trusted = false;
        Assert.False(_cache.TryGet(session.Id, out _));
        _rule.Trusted = true;
        Assert.True(_cache.TryGet(session.Id, out _));

        _cache.Put(session.Id, session with { RevokedAt = _time.GetUtcNow() }, _cache.Generation);
        Assert.False(_cache.TryGet(session.Id, out _));
    }

    [Fact]
    public void NoCopyOutlivesTheIdleTimeout()
    {
        var session = NewSession();
        _cache.Created(session, _cache.Generation);
        _rule.Lifetime = TimeSpan.FromHours(2);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.False(_cache.TryGet(session.Id, out _));
    }

    private SessionRecord NewSession() => new(Guid.NewGuid().ToString("N"), "a@example.com", "/", null,
        _time.GetUtcNow(), _time.GetUtcNow() + TimeSpan.FromHours(12), _time.GetUtcNow(), RevokedAt: null);

    private sealed class TestRule(TimeProvider clock) : ISessionCacheRule
    {
        public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(30);
        public TimeProvider Clock => clock;
        public TimeSpan LastSeenWriteInterval => TimeSpan.FromSeconds(60);
        public bool Trusted { get; set; } = true;
    }
}
