using PasswordlessBff.Limits;

namespace PasswordlessBff.Storage;

public enum CredentialKind { Code = 1, Link = 2 }

// Cross-device approval: another browser that opened the link confirmed it with the number, or refused it.
public enum LoginApproval { None = 0, Approved = 1, Refused = 2 }

// Only keyed hashes of codes and link tokens are ever stored (SECURITY.md item 2).
public sealed record StoredCredential(CredentialKind Kind, byte[] Hash, DateTimeOffset ExpiresAt);

public sealed record PendingLogin(
    string Id,
    string Email,
    string ReturnTo,
    string Template,
    string? State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    bool Completed,
    int FailedAttempts,
    IReadOnlyList<StoredCredential> Credentials)
{
    // The email's language and the caller's template variables, kept so a resend reads like the first email.
    public string? Locale { get; init; }

    public IReadOnlyDictionary<string, string>? TemplateVariables { get; init; }

    // When its newest email was handed over; null means at CreatedAt.
    public DateTimeOffset? LastSentAt { get; init; }

    // PKCE (S256) from an app that cannot hold the binding cookie: every verification must bring the matching verifier.
    public string? CodeChallenge { get; init; }

    // The 2-digit number the asking browser shows, and which browser and OS asked (short, from its User-Agent).
    public string? ApprovalNumber { get; init; }

    public string? AskedBy { get; init; }

    public LoginApproval Approval { get; init; }
}

public sealed record LinkOwner(string LoginId, DateTimeOffset ExpiresAt);

public sealed record ResendSlot(bool Allowed, TimeSpan RetryAfter);

// Pending logins, their credentials and the per-address email budget; every change is atomic in the store.
public interface ILoginStore
{
    Task<EmailQuota> TryCountEmailAsync(byte[] addressKey, DateTimeOffset now, int limit, TimeSpan window, CancellationToken ct);

    Task CreateLoginAsync(PendingLogin login, CancellationToken ct);

    // Send: count the email against the address's budget and store the login and its email job only if it fits, in one
    // atomic step, so a login is never stored without its send counted and its email queued, nor a send counted for a
    // login that was not stored. No job for a test address, which is never emailed.
    Task<EmailQuota> CreateLoginWithinQuotaAsync(PendingLogin login, byte[] addressKey, int limit, TimeSpan window, EmailJob? email,
        CancellationToken ct);

    // Resend: at most one email per login every resendAfter, claimed atomically (of two concurrent resends one
    // wins); a claim moves the login's LastSentAt to now.
    Task<ResendSlot> TryClaimResendAsync(string loginId, DateTimeOffset now, TimeSpan resendAfter, CancellationToken ct);

    // Resend: more credentials for the same login, which now lives until expiresAt, and the email carrying them, together.
    Task AddCredentialsAsync(string loginId, IReadOnlyList<StoredCredential> credentials, DateTimeOffset expiresAt, EmailJob? email,
        CancellationToken ct);

    Task<PendingLogin?> GetLoginAsync(string loginId, CancellationToken ct);

    Task<LinkOwner?> FindLinkOwnerAsync(byte[] linkHash, CancellationToken ct);

    // Pending → completed only once, and only while fewer than maxFailedAttempts wrong codes were seen.
    Task<bool> TryCompleteLoginAsync(string loginId, int maxFailedAttempts, DateTimeOffset now, CancellationToken ct);

    // None → Approved or Refused, once, only while the login is pending and not locked. Refusing also locks it
    // (failed attempts set to maxFailedAttempts), so no code or link completes it afterwards.
    Task<bool> TryDecideApprovalAsync(string loginId, LoginApproval decision, int maxFailedAttempts, CancellationToken ct);

    // Returns the failure count after this one; never read-then-write.
    Task<int> RecordFailedAttemptAsync(string loginId, CancellationToken ct);

    // Before a code for this address is checked. While delays apply, passing also starts the next delay, so of many
    // concurrent guesses only one gets through.
    Task<AddressGate> TryPassAddressGateAsync(byte[] addressKey, DateTimeOffset now, AddressFailurePolicy policy, CancellationToken ct);

    Task RecordAddressFailureAsync(byte[] addressKey, DateTimeOffset now, AddressFailurePolicy policy, CancellationToken ct);

    // A completed sign-in proves the mailbox: its address starts afresh.
    Task ClearAddressFailuresAsync(byte[] addressKey, CancellationToken ct);
}
