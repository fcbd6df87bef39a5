using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Proxy;

// The ring of ES256 keys that sign forwarded identities: configured PEM keys, or generated ones kept in the store
// (shared by every instance) and rotated on RotationSchedule. Read at most once a minute, and at each scheduled change.
public sealed partial class ProxySigningKeys(
    ISigningKeyStore store,
    IOptions<ProxyOptions> options,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    ILogger<ProxySigningKeys> logger) : IDisposable
{
    private static readonly TimeSpan RereadAfter = TimeSpan.FromMinutes(1);
    private readonly IDataProtector _protector = dataProtection.CreateProtector("PasswordlessBff.Proxy.SigningKeys");
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Dictionary<string, ProxySigningKey> _decoded = new(StringComparer.Ordinal);
    private volatile ProxyKeyRing? _ring;

    public async ValueTask<ProxyKeyRing> RingAsync(CancellationToken ct)
    {
        var ring = _ring;
        if (ring is not null && time.GetUtcNow() < ring.Until)
        {
            return ring;
        }
        await _loading.WaitAsync(ct);
        try
        {
            ring = _ring;
            var now = time.GetUtcNow();
            if (ring is null || now >= ring.Until)
            {
                _ring = ring = options.Value.SigningKeys.Length > 0 ? Configured() : await StoredAsync(now, ct);
            }
            return ring;
        }
        finally
        {
            _loading.Release();
        }
    }

    // The operator rotates: add the new key second (published), later move it first (signs), later remove the old.
    private ProxyKeyRing Configured()
    {
        var keys = options.Value.SigningKeys.Select(pem =>
        {
            var key = ECDsa.Create();
            key.ImportFromPem(pem);
            return new ProxySigningKey(key);
        }).ToList();
        return new ProxyKeyRing(keys[0], keys, DateTimeOffset.MaxValue);
    }

    private async Task<ProxyKeyRing> StoredAsync(DateTimeOffset now, CancellationToken ct)
    {
        var period = options.Value.KeyRotationPeriod;
        var keys = await store.ListAsync(ct);
        var plan = RotationSchedule.For(keys, now, period);
        if (!plan.IsEmpty)
        {
            foreach (var (generation, activatesAt) in plan.Add)
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                await store.AddIfAbsentAsync(new StoredSigningKey(generation, ProxySigningKey.KeyIdOf(key),
                    _protector.Protect(Convert.ToBase64String(key.ExportPkcs8PrivateKey())), now, activatesAt), ct);
            }
            foreach (var generation in plan.Remove)
            {
                await store.RemoveAsync(generation, ct);
            }
            // Another instance may have won a generation: what the store holds now is the ring.
            keys = await store.ListAsync(ct);
            LogKeysChanged(logger, plan.Add.Count, plan.Remove.Count, keys.Count);
        }
        var published = keys.Where(k => RotationSchedule.RetiresAt(keys, k) is not { } retires || retires > now).ToList();
        var signing = RotationSchedule.Signing(keys, now);
        var until = RotationSchedule.NextChange(keys, now);
        return new ProxyKeyRing(Decode(signing), [.. published.Select(Decode)], until < now + RereadAfter ? until : now + RereadAfter);
    }

    private ProxySigningKey Decode(StoredSigningKey stored)
    {
        if (!_decoded.TryGetValue(stored.KeyId, out var key))
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(_protector.Unprotect(stored.ProtectedPrivateKey)), out _);
            _decoded[stored.KeyId] = key = new ProxySigningKey(ecdsa);
        }
        return key;
    }

    public void Dispose() => _loading.Dispose();

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information,
        Message = "Forwarded-identity signing keys changed: {Added} added, {Removed} retired, {Count} in the ring.")]
    private static partial void LogKeysChanged(ILogger logger, int added, int removed, int count);
}
