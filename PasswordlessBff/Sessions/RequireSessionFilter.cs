using PasswordlessBff.Errors;
using PasswordlessBff.Http;

namespace PasswordlessBff.Sessions;

public static class RequireSessionExtensions
{
    // Protects any endpoint or group: a non-GET request needs the CSRF header and an allowed origin (SECURITY.md
    // item 27), then 401 unauthenticated as JSON (never a redirect), else the handler gets ActiveSession.
    public static TBuilder RequireSession<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(CsrfHeaderMetadata.Instance)
            .ProducesProblems(ApiError.Unauthenticated, ApiError.UpstreamUnavailable).AddEndpointFilter(async (context, next) =>
            {
                if (CsrfProtection.Refusal(context.HttpContext.Request) is { } refused)
                {
                    return Problems.From(refused);
                }
                var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionService>();
                var session = await sessions.AuthenticateRequestAsync(context.HttpContext);
                return session is null ? Problems.From(ApiError.Unauthenticated) : await next(context);
            });
}
