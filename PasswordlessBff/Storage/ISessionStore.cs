namespace PasswordlessBff.Storage;

public sealed record SessionRecord(
    string Id,
    string Email,
    string ReturnTo,
    string? Device,
    DateTimeOffset CreatedAt,
    DateTimeOffset AbsoluteExpiresAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? RevokedAt,
    SessionUser? User = null);

// Server-side session records: what makes logout a real revocation.
public interface ISessionStore
{
    Task CreateSessionAsync(SessionRecord session, CancellationToken ct);

    Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken ct);

    Task TouchSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct);

    Task RevokeSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct);

    // One person's sessions that are neither revoked nor past their absolute expiry.
    Task<IReadOnlyList<SessionRecord>> ListSessionsAsync(string email, DateTimeOffset now, CancellationToken ct);

    // Revokes all of one person's sessions but the one given (none with ""); returns how many were revoked.
    Task<int> RevokeOtherSessionsAsync(string email, string keepSessionId, DateTimeOffset now, CancellationToken ct);

    // The sessions of one user id (the hook's, or the derived one) that are neither revoked nor past their absolute expiry.
    Task<IReadOnlyList<SessionRecord>> ListUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken ct);

    // Revokes every session of one user id on every instance; returns how many were revoked.
    Task<int> RevokeUserSessionsAsync(string userId, DateTimeOffset now, CancellationToken ct);
}
