using PasswordlessBff.Errors;
using PasswordlessBff.Http;
using PasswordlessBff.Limits;

namespace PasswordlessBff.Auth;

public static class AuthApi
{
    public const string Prefix = "/api/auth";
    public const string SendPath = Prefix + "/send";
    public const string ResendPath = Prefix + "/resend";
    public const string VerifyPath = Prefix + "/verify";

    // Starting a login and turning its code or link into a session; the session's own routes are SessionApi's.
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Prefix).RequireCsrfHeader().WithTags("Auth");

        group.MapPost("/send", SendEndpoint.HandleAsync).ValidateBody<SendRequest>().RequireSendRateLimit()
            .WithSummary("Start a sign-in: email a magic link and a code")
            .WithDescription("Sets the browser-binding cookie. Every well-formed address gets the same answer, known or not; "
                + "at most 2 emails per address per minute (429 rate_limited with Retry-After). An app that cannot share cookies "
                + "with the browser sends codeChallenge with codeChallengeMethod S256 (RFC 7636; plain is refused).")
            .ProducesProblems(ApiError.ReturnToNotAllowed, ApiError.RateLimited, ApiError.UpstreamUnavailable);
        group.MapPost("/resend", ResendEndpoint.HandleAsync).ValidateBody<ResendRequest>(optional: true).RequireSendRateLimit()
            .WithSummary("Email a new code and link for the same sign-in")
            .WithDescription("The body may be empty: the login then comes from the browser-binding cookie, which is refreshed. "
                + "Earlier codes and links stay valid until they expire and share one attempt counter.")
            .ProducesProblems(ApiError.AuthRequestInvalid, ApiError.RateLimited, ApiError.UpstreamUnavailable);
        group.MapMethods("/verify", [HttpMethods.Get, HttpMethods.Head], VerifyLinkEndpoint.HandleAsync).RequireVerifyRateLimit()
            .WithSummary("The magic link, opened by a browser")
            .WithDescription("Success: 303 to returnTo with the session cookie set. Failure: 303 to the login page with "
                + "?error=credential_invalid, credential_expired, too_many_attempts, auth_request_invalid, browser_mismatch, "
                + "sign_in_not_allowed or upstream_unavailable. Completes only in the browser holding the binding cookie; HEAD and cookieless GETs "
                + "(mail scanners) consume nothing. With same-browser enforcement off, a cookieless GET answers an inert "
                + "confirmation page (200 text/html).")
            .Produces(StatusCodes.Status303SeeOther)
            .Produces<string>(StatusCodes.Status200OK, "text/html");
        group.MapPost("/verify", VerifyEndpoint.HandleAsync).ValidateBody<VerifyRequest>().RequireVerifyRateLimit()
            .WithSummary("Verify the code (or a link caught by the app) and sign in")
            .WithDescription("Exactly one of code or linkToken; authRequestId falls back to the binding cookie. Success sets "
                + "the session cookie and deletes the binding cookie. Five wrong codes end the login (too_many_attempts). "
                + "The sign-in policy may refuse the address (sign_in_not_allowed: the login ends); when its hook does not "
                + "answer, upstream_unavailable leaves the login usable, so the same code works once it is back. A login sent "
                + "with a codeChallenge needs its codeVerifier instead of the binding cookie, for the code and the link alike; "
                + "a wrong or missing one is code_verifier_invalid and counts as a failed attempt.")
            .ProducesProblems(ApiError.AuthRequestInvalid, ApiError.CredentialInvalid, ApiError.CredentialExpired, ApiError.CodeVerifierInvalid,
                ApiError.BrowserMismatch, ApiError.TooManyAttempts, ApiError.SignInNotAllowed, ApiError.UpstreamUnavailable);
        group.MapApprovalApi();

        return group;
    }
}
