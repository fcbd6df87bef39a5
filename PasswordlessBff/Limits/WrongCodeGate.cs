using PasswordlessBff.Passwordless.BuiltIn;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Limits;

// Guesses for one mailbox across all its logins and spellings meet escalating delays, then a lock until the window
// ends (SECURITY.md item 6). Links are not gated: guessing 256 bits is hopeless, so the owner keeps a way in.
public sealed class WrongCodeGate(ILoginStore store, CredentialHasher hasher)
{
    private readonly AddressFailurePolicy _policy = AddressFailurePolicy.Default;

    public Task<AddressGate> TryPassAsync(string canonicalEmail, DateTimeOffset now, CancellationToken ct) =>
        store.TryPassAddressGateAsync(hasher.HashMailbox(canonicalEmail), now, _policy, ct);

    public Task RecordFailureAsync(string canonicalEmail, DateTimeOffset now, CancellationToken ct) =>
        store.RecordAddressFailureAsync(hasher.HashMailbox(canonicalEmail), now, _policy, ct);

    // A right credential proves the mailbox: it starts afresh.
    public Task ClearAsync(string canonicalEmail, CancellationToken ct) => store.ClearAddressFailuresAsync(hasher.HashMailbox(canonicalEmail), ct);
}
