using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PasswordlessBff.Auth;
using PasswordlessBff.Errors;
using PasswordlessBff.Http;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Admin;

// When the team's side changes (a user removed, roles changed): the team's servers list and end a user's sessions on
// every instance. Not mapped at all without Admin__ApiKeys__N.
public static class AdminApi
{
    public const string Prefix = "/api/admin";
    public const string SessionsPath = Prefix + "/sessions";
    public const string RevokePath = Prefix + "/sessions/revoke";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        if (!routes.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value.Enabled)
        {
            return routes;
        }
        var group = AdminKeys.RequireAdminKey(routes.MapGroup(Prefix).WithTags("Admin"))
            .ProducesProblems(ApiError.AdminKeyInvalid, ApiError.CookiesNotAllowed, ApiError.ValidationFailed, ApiError.UpstreamUnavailable);
        group.MapGet("/sessions", ListAsync)
            .WithSummary("List a user's live sessions (server to server)")
            .WithDescription("Exactly one of ?userId= or ?email=. Authorization: Bearer <one of Admin__ApiKeys>; a request "
                + "carrying this service's cookies is refused (cookies_not_allowed).");
        group.MapPost("/sessions/revoke", RevokeAsync).ValidateBody<AdminRevokeRequest>()
            .WithSummary("End every session of a user id or an address, on every instance (server to server)")
            .WithDescription("Body: exactly one of userId or email. Answers how many sessions were ended; a copy of any of "
                + "their cookies gets 401 everywhere from then on.");
        return routes;
    }

    public static async Task<Results<Ok<AdminSessionListResponse>, ProblemHttpResult>> ListAsync(
        string? userId, string? email, SessionService sessions, IValidator<AdminRevokeRequest> validator, CancellationToken ct)
    {
        var owner = new AdminRevokeRequest(userId, email);
        var checkedOwner = await validator.ValidateAsync(owner, ct);
        if (!checkedOwner.IsValid)
        {
            return Problems.Validation(checkedOwner.ToDictionary());
        }
        var records = await sessions.ListOfAsync(Owner(owner), ct);
        return TypedResults.Ok(new AdminSessionListResponse([.. records.Select(record => (Record: record, Active: sessions.ToActive(record)))
            .Select(s => new AdminSession(s.Record.Id, s.Active.User.Id, s.Record.Email, s.Active.User.Roles, s.Record.CreatedAt,
                s.Record.LastSeenAt, s.Active.ExpiresAt, s.Record.Device))]));
    }

    public static async Task<Ok<AdminRevokeResponse>> RevokeAsync(
        AdminRevokeRequest request, HttpContext context, SessionService sessions, AuthEvents events, CancellationToken ct)
    {
        var owner = Owner(request);
        var revoked = await sessions.RevokeAllOfAsync(owner, ct);
        events.AdminRevoked(context, owner, revoked, AdminKeys.KeyRefOf(context));
        return TypedResults.Ok(new AdminRevokeResponse(revoked));
    }

    private static SessionOwner Owner(AdminRevokeRequest request) =>
        request.Email is not null && EmailAddress.TryCanonicalize(request.Email, out var canonical)
            ? new SessionOwner(null, canonical)
            : new SessionOwner(request.UserId, null);
}
