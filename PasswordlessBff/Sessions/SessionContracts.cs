namespace PasswordlessBff.Sessions;

// What the session routes answer.
public sealed record SessionResponse(string Email, DateTimeOffset ExpiresAt, int ExpiresIn, DateTimeOffset IdleExpiresAt, string ReturnTo)
{
    public static SessionResponse From(ActiveSession session, DateTimeOffset now) => new(
        session.Email, session.AbsoluteExpiresAt, Math.Max(0, (int)(session.AbsoluteExpiresAt - now).TotalSeconds),
        session.IdleExpiresAt, session.ReturnTo);
}

public sealed record MeResponse(string Email, string SessionId, DateTimeOffset ExpiresAt);

public sealed record SessionSummary(string Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, string? Device, bool Current);

public sealed record SessionListResponse(IReadOnlyList<SessionSummary> Sessions);

public sealed record RevokeOthersResponse(int Revoked);
