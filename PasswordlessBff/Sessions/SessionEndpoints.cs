using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Auth;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Sessions;

public static class SessionEndpoints
{
    // Polling must not keep a session alive: only ?slide=true counts as use.
    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> GetAsync(
        bool? slide, HttpContext context, SessionService sessions, TimeProvider time, CancellationToken ct)
    {
        var session = await sessions.AuthenticateAsync(context, slide == true, ct);
        return session is null
            ? Problems.From(ApiError.Unauthenticated)
            : TypedResults.Ok(SessionResponse.From(session, time.GetUtcNow()));
    }

    // Idempotent: clears the cookies and revokes the server-side record, so a copied cookie stops working too.
    public static async Task<NoContent> LogoutAsync(
        HttpContext context, SessionService sessions, BrowserBinding binding, AuthEvents events, CancellationToken ct)
    {
        // Read before revoking, only to name the account in the audit event.
        var session = await sessions.AuthenticateAsync(context, slide: false, ct);
        await sessions.SignOutAsync(context, ct);
        binding.Clear(context);
        if (session is not null)
        {
            events.LoggedOut(context, session);
        }
        return TypedResults.NoContent();
    }
}
