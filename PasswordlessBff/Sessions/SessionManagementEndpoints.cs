using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Auth;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Sessions;

// A signed-in person sees and ends their own sessions, never anyone else's (SECURITY.md item 19).
public static class SessionManagementEndpoints
{
    public static RouteGroupBuilder MapSessionManagement(this RouteGroupBuilder auth)
    {
        var group = auth.MapGroup("/sessions").RequireSession();
        group.MapGet("", ListAsync)
            .WithSummary("The signed-in person's sessions")
            .WithDescription("Each with when it started, when it was last used, a device hint and whether it is this one.");
        group.MapDelete("/{id}", RevokeAsync)
            .WithSummary("End one of the signed-in person's sessions")
            .WithDescription("Another person's session answers exactly like an unknown id: 404 not_found.")
            .ProducesProblems(ApiError.NotFound);
        group.MapPost("/revoke-others", RevokeOthersAsync)
            .WithSummary("End every other session of the signed-in person")
            .WithDescription("Keeps the current session; answers how many were ended.");
        return group;
    }

    public static async Task<Ok<SessionListResponse>> ListAsync(ActiveSession session, SessionService sessions, CancellationToken ct)
    {
        var records = await sessions.ListAsync(session, ct);
        return TypedResults.Ok(new SessionListResponse([.. records.Select(r =>
            new SessionSummary(r.Id, r.CreatedAt, r.LastSeenAt, r.Device, r.Id == session.Id))]));
    }

    // Someone else's session answers exactly like an unknown id: not_found.
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string id, HttpContext context, ActiveSession session, SessionService sessions, AuthEvents events, CancellationToken ct)
    {
        if (id.Length > 64 || !await sessions.RevokeAsync(session, id, ct))
        {
            return Problems.From(ApiError.NotFound);
        }
        events.Revoked(context, session.Email, id, 1);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<RevokeOthersResponse>> RevokeOthersAsync(
        HttpContext context, ActiveSession session, SessionService sessions, AuthEvents events, CancellationToken ct)
    {
        var revoked = await sessions.RevokeOthersAsync(session, ct);
        events.Revoked(context, session.Email, null, revoked);
        return TypedResults.Ok(new RevokeOthersResponse(revoked));
    }
}
