using Microsoft.Extensions.Options;
using PasswordlessBff.Passwordless.BuiltIn;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Limits;

// At most Passwordless__EmailsPerAddressPerMinute emails per mailbox (sends and resends together, SECURITY.md
// item 12), counted in the store so every instance shares one budget; throttled the same way whether or not anyone
// has signed in with the address before.
public sealed class EmailBudget(ILoginStore store, CredentialHasher hasher, IOptions<LimitOptions> options)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly int _perMinute = options.Value.EmailsPerAddressPerMinute;

    public Task<EmailQuota> TryCountAsync(string canonicalEmail, DateTimeOffset now, CancellationToken ct) =>
        store.TryCountEmailAsync(hasher.HashMailbox(canonicalEmail), now, _perMinute, Window, ct);

    // Send: the email is counted, the login stored and its email job queued in one write, or none of them.
    public Task<EmailQuota> CreateLoginWithinAsync(PendingLogin login, EmailJob? email, CancellationToken ct) =>
        store.CreateLoginWithinQuotaAsync(login, hasher.HashMailbox(login.Email), _perMinute, Window, email, ct);
}
