using PasswordlessBff.Passwordless;
using PasswordlessKind = PasswordlessBff.Passwordless.PasswordlessType;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Auth;

public sealed record SendResponse(string AuthRequestId, DateTimeOffset ExpiresAt, int ExpiresIn, string PasswordlessType, int ResendAfter)
{
    public static SendResponse From(LoginTicket ticket, DateTimeOffset now) => new(
        ticket.AuthRequestId, ticket.ExpiresAt, Math.Max(0, (int)(ticket.ExpiresAt - now).TotalSeconds),
        ticket.Type switch { PasswordlessKind.Link => "LINK", PasswordlessKind.Otp => "OTP", _ => "LINK_OTP" },
        ticket.ResendAfterSeconds);
}

public sealed record SessionResponse(string Email, DateTimeOffset ExpiresAt, int ExpiresIn, DateTimeOffset IdleExpiresAt, string ReturnTo)
{
    public static SessionResponse From(ActiveSession session, DateTimeOffset now) => new(
        session.Email, session.AbsoluteExpiresAt, Math.Max(0, (int)(session.AbsoluteExpiresAt - now).TotalSeconds),
        session.IdleExpiresAt, session.ReturnTo);
}
