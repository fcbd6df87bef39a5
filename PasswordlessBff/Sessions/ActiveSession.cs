using System.Reflection;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Sessions;

// The verified session a protected handler receives: declare a parameter of this type behind RequireSession().
public sealed record ActiveSession(
    string Id,
    string Email,
    string ReturnTo,
    DateTimeOffset CreatedAt,
    DateTimeOffset AbsoluteExpiresAt,
    DateTimeOffset IdleExpiresAt)
{
    public DateTimeOffset ExpiresAt => AbsoluteExpiresAt < IdleExpiresAt ? AbsoluteExpiresAt : IdleExpiresAt;

    // Binding runs before endpoint filters: it shares their once-per-request lookup and fails closed on its own,
    // so a handler that asks for a session never runs without one, even if RequireSession() was forgotten.
    public static async ValueTask<ActiveSession?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        await context.RequestServices.GetRequiredService<SessionService>().AuthenticateRequestAsync(context)
            ?? throw new UnauthenticatedException();
}
