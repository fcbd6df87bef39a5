using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PasswordlessBff.Errors;
using PasswordlessBff.Http;

namespace PasswordlessBff.Sessions;

public static class RequireSessionExtensions
{
    public const string PolicyName = "session";

    // Protects any endpoint or group with the session policy: a non-GET request needs the CSRF header and an allowed
    // origin (SECURITY.md item 27), then a valid session, else 401 unauthenticated as JSON (never a redirect). The
    // handler takes ActiveSession or ClaimsPrincipal, as the session scheme produced them. With roles, the session must
    // hold at least one of them (the sign-in policy hook's), else 403 forbidden.
    public static TBuilder RequireSession<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        roles.Length == 0
            ? builder.RequireAuthorization(PolicyName).WithMetadata(CsrfHeaderMetadata.Instance)
                .ProducesProblems(ApiError.Unauthenticated, ApiError.UpstreamUnavailable)
            : builder.RequireAuthorization(new AuthorizationPolicyBuilder().Combine(Policy()).RequireRole(roles).Build())
                .WithMetadata(CsrfHeaderMetadata.Instance)
                .ProducesProblems(ApiError.Unauthenticated, ApiError.Forbidden, ApiError.UpstreamUnavailable);

    public static AuthorizationPolicy Policy() => new AuthorizationPolicyBuilder(SessionAuthenticationHandler.SchemeName)
        .AddRequirements(new CsrfRequirement())
        .RequireAuthenticatedUser()
        .Build();
}

// The CSRF check as a requirement of the session policy, so a refused request is never authenticated, bound or
// counted as use.
public sealed class CsrfRequirement : AuthorizationHandler<CsrfRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CsrfRequirement requirement)
    {
        if (context.Resource is HttpContext http && CsrfProtection.Refusal(http.Request) is null)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

// A CSRF refusal answers its own code (403 csrf_header_missing or origin_not_allowed), before any 401; everything
// else is the session scheme's challenge (401 unauthenticated) or forbid (403 forbidden).
public sealed class SessionAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Succeeded && CsrfProtection.Refusal(context.Request) is { } refused)
        {
            context.Response.StatusCode = refused.Status;
            await Problems.From(refused).ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
