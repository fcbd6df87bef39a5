using PasswordlessBff.Http;

namespace PasswordlessBff.Auth;

public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").RequireCsrfHeader().WithTags("Auth");

        group.MapPost("/send", SendEndpoint.HandleAsync).ValidateBody<SendRequest>().RequireSendRateLimit();
        group.MapPost("/resend", ResendEndpoint.HandleAsync).ValidateBody<ResendRequest>(optional: true).RequireSendRateLimit();
        group.MapMethods("/verify", [HttpMethods.Get, HttpMethods.Head], VerifyLinkEndpoint.HandleAsync).RequireVerifyRateLimit();
        group.MapPost("/verify", VerifyEndpoint.HandleAsync).ValidateBody<VerifyRequest>().RequireVerifyRateLimit();
        group.MapGet("/session", SessionEndpoints.GetAsync);
        group.MapPost("/logout", SessionEndpoints.LogoutAsync);
        group.MapSessionManagement();

        return group;
    }
}
