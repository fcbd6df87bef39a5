using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Errors;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Auth;

public sealed record SessionSummary(string Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, string? Device, bool Current);

public sealed record SessionListResponse(IReadOnlyList<SessionSummary> Sessions);

public sealed record RevokeOthersResponse(int Revoked);

// A signed-in person sees and ends their own sessions, never anyone else's (SECURITY.md item 19).
public static class SessionManagementEndpoints
{
    public static RouteGroupBuilder MapSessionManagement(this RouteGroupBuilder auth)
    {
        var group = auth.MapGroup("/sessions").RequireSession();
        group.MapGet("/", ListAsync);
        group.MapDelete("/{id}", RevokeAsync);
        group.MapPost("/revoke-others", RevokeOthersAsync);
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
        string id, ActiveSession session, SessionService sessions, CancellationToken ct) =>
        id.Length <= 64 && await sessions.RevokeAsync(session, id, ct)
            ? TypedResults.NoContent()
            : Problems.From(AuthError.NotFound);

    public static async Task<Ok<RevokeOthersResponse>> RevokeOthersAsync(ActiveSession session, SessionService sessions, CancellationToken ct) =>
        TypedResults.Ok(new RevokeOthersResponse(await sessions.RevokeOthersAsync(session, ct)));
}
