using PasswordlessBff.Auth;
using PasswordlessBff.Errors;
using PasswordlessBff.Http;

namespace PasswordlessBff.Sessions;

// Everything about a session once it exists: reading it, ending it, listing and revoking it, and the example
// protected route.
public static class SessionApi
{
    public const string SessionPath = AuthApi.Prefix + "/session";
    public const string LogoutPath = AuthApi.Prefix + "/logout";
    public const string SessionsPath = AuthApi.Prefix + "/sessions";
    public const string MePath = "/api/me";

    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup(AuthApi.Prefix).RequireCsrfHeader().WithTags("Auth");
        auth.MapGet("/session", SessionEndpoints.GetAsync)
            .WithSummary("The current session")
            .WithDescription("Polling does not extend the session; ?slide=true counts as use and slides the idle timeout.")
            .ProducesProblems(ApiError.Unauthenticated, ApiError.UpstreamUnavailable);
        auth.MapPost("/logout", SessionEndpoints.LogoutAsync)
            .WithSummary("Sign out")
            .WithDescription("Clears the cookies and revokes the session on the server, so a copy of the cookie stops working "
                + "everywhere. Idempotent: 204 with or without a session.")
            .ProducesProblems(ApiError.UpstreamUnavailable);
        auth.MapSessionManagement();

        routes.MapGet(MePath, (ActiveSession session) => TypedResults.Ok(MeResponse.From(session))).RequireSession().WithTags("Protected")
            .WithSummary("The signed-in identity (an example protected route)")
            .WithDescription("Any route marked RequireSession() answers 401 unauthenticated (JSON, never a redirect) without a valid session.");
        return routes;
    }
}
