using Microsoft.AspNetCore.Http.HttpResults;

namespace PasswordlessBff.Sessions;

public sealed record MeResponse(string Email, string SessionId, DateTimeOffset ExpiresAt);

// The one protected route the service ships: an example for any SPA API behind RequireSession().
public static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/me", (ActiveSession session) =>
            TypedResults.Ok(new MeResponse(session.Email, session.Id, session.ExpiresAt))).RequireSession().WithTags("Protected")
            .WithSummary("The signed-in identity (an example protected route)")
            .WithDescription("Any route marked RequireSession() answers 401 unauthenticated (JSON, never a redirect) without a valid session.");
        return routes;
    }
}
