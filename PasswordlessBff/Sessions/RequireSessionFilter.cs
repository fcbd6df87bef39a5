using PasswordlessBff.Errors;

namespace PasswordlessBff.Sessions;

public static class RequireSessionExtensions
{
    // Protects any endpoint or group: 401 unauthenticated as JSON (never a redirect), else the handler gets ActiveSession.
    public static TBuilder RequireSession<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblems(AuthError.Unauthenticated, AuthError.UpstreamUnavailable).AddEndpointFilter(async (context, next) =>
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionService>();
            var session = await sessions.AuthenticateRequestAsync(context.HttpContext);
            return session is null ? Problems.From(AuthError.Unauthenticated) : await next(context);
        });
}
