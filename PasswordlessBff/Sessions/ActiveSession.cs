using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using PasswordlessBff.Errors;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Sessions;

// The verified session a protected handler receives: declare a parameter of this type behind RequireSession().
public sealed record ActiveSession(
    string Id,
    string Email,
    string ReturnTo,
    DateTimeOffset CreatedAt,
    DateTimeOffset AbsoluteExpiresAt,
    DateTimeOffset IdleExpiresAt,
    SessionUser User)
{
    public DateTimeOffset ExpiresAt => AbsoluteExpiresAt < IdleExpiresAt ? AbsoluteExpiresAt : IdleExpiresAt;

    // What the session scheme produced for this request (RequireSession() ran it). Fails closed on its own, so a
    // handler that asks for a session never runs without one, even if RequireSession() was forgotten.
    public static async ValueTask<ActiveSession?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var session = context.Features.Get<ActiveSession>();
        if (session is null && (await context.AuthenticateAsync(SessionAuthenticationHandler.SchemeName)).Succeeded)
        {
            session = context.Features.Get<ActiveSession>();
        }
        return session is null
            ? throw new UnauthenticatedException()
            : context.RequestServices.GetRequiredService<SessionService>().CountAsUse(context, session);
    }
}
