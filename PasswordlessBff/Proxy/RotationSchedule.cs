using PasswordlessBff.Storage;

namespace PasswordlessBff.Proxy;

// The rotation schedule, as a pure function of the stored keys and the time. There is always a next key, published a
// full period before it signs (after an outage longer than half a period: half a period before), so a backend that
// refreshes its JWKS at least that often knows a key before it sees a token signed by it. A key that stopped signing
// stays published for RetiredKeyKept: the longest token lifetime plus the clock skew ASP.NET Core allows by default.
public static class RotationSchedule
{
    public static readonly TimeSpan RetiredKeyKept = TimeSpan.FromSeconds(ProxyOptions.MaxTokenLifetimeSeconds) + TimeSpan.FromMinutes(10);

    public sealed record Plan(IReadOnlyList<(int Generation, DateTimeOffset ActivatesAt)> Add, IReadOnlyList<int> Remove)
    {
        public bool IsEmpty => Add.Count == 0 && Remove.Count == 0;
    }

    public static Plan For(IReadOnlyList<StoredSigningKey> keys, DateTimeOffset now, TimeSpan period)
    {
        if (keys.Count == 0)
        {
            // The very first key signs at once: nobody holds a token yet, so nobody needs to know it in advance.
            return new([(1, now), (2, now + period)], []);
        }
        var signing = Signing(keys, now);
        var add = new List<(int, DateTimeOffset)>();
        if (!keys.Any(k => k.ActivatesAt > now))
        {
            var next = signing.ActivatesAt + period;
            add.Add((keys.Max(k => k.Generation) + 1, next > now + period / 2 ? next : now + period / 2));
        }
        var remove = keys.Where(k => k.Generation < signing.Generation && RetiresAt(keys, k) is { } retires && retires <= now)
            .Select(k => k.Generation).ToList();
        return new(add, remove);
    }

    // The newest key whose time has come signs.
    public static StoredSigningKey Signing(IReadOnlyList<StoredSigningKey> keys, DateTimeOffset now) =>
        keys.Where(k => k.ActivatesAt <= now).MaxBy(k => k.Generation) ?? keys.MinBy(k => k.Generation)!;

    // When a key leaves the JWKS: RetiredKeyKept after its successor took over.
    public static DateTimeOffset? RetiresAt(IReadOnlyList<StoredSigningKey> keys, StoredSigningKey key) =>
        keys.Where(k => k.Generation > key.Generation).MinBy(k => k.Generation)?.ActivatesAt + RetiredKeyKept;

    // The next moment the ring changes: a key takes over or a retired one leaves.
    public static DateTimeOffset NextChange(IReadOnlyList<StoredSigningKey> keys, DateTimeOffset now) =>
        keys.Select(k => k.ActivatesAt).Concat(keys.Select(k => RetiresAt(keys, k)).OfType<DateTimeOffset>())
            .Where(at => at > now).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
}
