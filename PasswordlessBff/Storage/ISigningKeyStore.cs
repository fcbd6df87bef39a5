namespace PasswordlessBff.Storage;

// One ES256 key of the forwarded-identity key ring as the store keeps it: the private key only in Data Protection's
// protected form. Generations count up from 1; a key signs from ActivatesAt until the next generation's ActivatesAt.
public sealed record StoredSigningKey(int Generation, string KeyId, string ProtectedPrivateKey, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt);

// The proxy's signing keys, shared by every instance on the same store.
public interface ISigningKeyStore
{
    Task<IReadOnlyList<StoredSigningKey>> ListAsync(CancellationToken ct);

    // The first key written for a generation wins, so instances that rotate at the same moment agree on one key.
    Task AddIfAbsentAsync(StoredSigningKey key, CancellationToken ct);

    Task RemoveAsync(int generation, CancellationToken ct);
}
