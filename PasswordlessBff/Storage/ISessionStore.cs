namespace PasswordlessBff.Storage;

public sealed record SessionRecord(
    string Id,
    string Email,
    string ReturnTo,
    string? Device,
    DateTimeOffset CreatedAt,
    DateTimeOffset AbsoluteExpiresAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? RevokedAt);

// Server-side session records: what makes logout a real revocation.
public interface ISessionStore
{
    Task CreateSessionAsync(SessionRecord session, CancellationToken ct);

    Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken ct);

    Task TouchSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct);

    Task RevokeSessionAsync(string sessionId, DateTimeOffset now, CancellationToken ct);
}
