namespace PasswordlessBff.Sessions;

// What the session routes answer. userId and roles are the sign-in policy hook's (or the id derived from the address).
public sealed record SessionResponse(
    string Email, string UserId, IReadOnlyList<string> Roles, DateTimeOffset ExpiresAt, int ExpiresIn, DateTimeOffset IdleExpiresAt, string ReturnTo)
{
    public static SessionResponse From(ActiveSession session, DateTimeOffset now) => new(
        session.Email, session.User.Id, session.User.Roles, session.AbsoluteExpiresAt,
        Math.Max(0, (int)(session.AbsoluteExpiresAt - now).TotalSeconds), session.IdleExpiresAt, session.ReturnTo);
}

public sealed record MeResponse(string Email, string UserId, IReadOnlyList<string> Roles, string SessionId, DateTimeOffset ExpiresAt)
{
    public static MeResponse From(ActiveSession session) =>
        new(session.Email, session.User.Id, session.User.Roles, session.Id, session.ExpiresAt);
}

public sealed record SessionSummary(string Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, string? Device, bool Current);

public sealed record SessionListResponse(IReadOnlyList<SessionSummary> Sessions);

public sealed record RevokeOthersResponse(int Revoked);
