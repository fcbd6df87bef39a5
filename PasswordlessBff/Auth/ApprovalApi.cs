using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Errors;
using PasswordlessBff.Http;
using PasswordlessBff.Limits;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Auth;

// The approving browser's three calls (details, approve, refuse) and the asking browser's poll. Every one is a POST
// with X-CSRF from a page of this origin: a scanner's GET or HEAD approves nothing.
public static class ApprovalApi
{
    public const string Prefix = AuthApi.Prefix + "/approval";
    public const string CompletePath = Prefix + "/complete";

    public static void MapApprovalApi(this RouteGroupBuilder auth)
    {
        var group = auth.MapGroup("/approval");
        group.MapPost("/details", DetailsAsync).ValidateBody<ApprovalLinkRequest>().RequireVerifyRateLimit()
            .WithSummary("Which browser asked for the sign-in a link belongs to, and when")
            .WithDescription("For the page a link opens in another browser. Reads only.")
            .ProducesProblems(ApiError.CredentialInvalid, ApiError.CredentialExpired, ApiError.TooManyAttempts, ApiError.ApprovalRefused,
                ApiError.BrowserMismatch);
        group.MapPost("/approve", ApproveAsync).ValidateBody<ApproveRequest>().RequireVerifyRateLimit()
            .WithSummary("Approve the sign-in with the number shown by the browser that asked")
            .WithDescription("The right number lets the asking browser sign in (its poll of /approval/complete); this browser gets "
                + "no session. A wrong number ends the login (approval_number_wrong).")
            .ProducesProblems(ApiError.CredentialInvalid, ApiError.CredentialExpired, ApiError.TooManyAttempts, ApiError.ApprovalRefused,
                ApiError.ApprovalNumberWrong, ApiError.BrowserMismatch);
        group.MapPost("/refuse", RefuseAsync).ValidateBody<ApprovalLinkRequest>().RequireVerifyRateLimit()
            .WithSummary("\"This wasn't me\": end the sign-in the link belongs to")
            .ProducesProblems(ApiError.CredentialInvalid, ApiError.CredentialExpired, ApiError.TooManyAttempts, ApiError.ApprovalRefused,
                ApiError.BrowserMismatch);
        group.MapPost("/complete", CompleteAsync).ValidateBody<CompleteRequest>(optional: true).RequirePollRateLimit()
            .WithSummary("The asking browser's poll: signs in once another browser approved")
            .WithDescription("Needs the binding cookie (an authRequestId in the body is no substitute), or for a login sent with a "
                + "codeChallenge the authRequestId with its codeVerifier. 202 while waiting; 200 with the session once approved; "
                + "approval_refused when the other browser refused or the number was wrong.")
            .Produces<ApprovalWaiting>(StatusCodes.Status202Accepted)
            .ProducesProblems(ApiError.AuthRequestInvalid, ApiError.ApprovalRefused, ApiError.CredentialExpired, ApiError.TooManyAttempts,
                ApiError.CodeVerifierInvalid, ApiError.SignInNotAllowed, ApiError.UpstreamUnavailable);
    }

    private static async Task<Results<Ok<ApprovalDetails>, ProblemHttpResult>> DetailsAsync(
        ApprovalLinkRequest request, CrossDeviceApproval approval, CancellationToken ct) =>
        await approval.FindAsync(request.LinkToken, ct) is var state && state is ApprovalState.Found { Login: var login }
            ? TypedResults.Ok(new ApprovalDetails(login.AskedBy ?? UserAgentSummary.Of(null), login.CreatedAt, login.ExpiresAt))
            : Problems.From(Failure(state));

    private static async Task<Results<Ok<ApprovalDecision>, ProblemHttpResult>> ApproveAsync(
        ApproveRequest request, HttpContext context, CrossDeviceApproval approval, AuthEvents events, CancellationToken ct)
    {
        var state = await approval.FindAsync(request.LinkToken, ct);
        if (state is not ApprovalState.Found { Login: var login })
        {
            return Problems.From(Failure(state));
        }
        var refused = await approval.DecideAsync(login, request.Number, ct);
        events.ApprovalDecided(context, login, refused is null ? "approved" : "wrong_number", refused?.Code ?? AuthMetrics.Success);
        return refused is null ? TypedResults.Ok(new ApprovalDecision("approved")) : Problems.From(refused);
    }

    private static async Task<Results<Ok<ApprovalDecision>, ProblemHttpResult>> RefuseAsync(
        ApprovalLinkRequest request, HttpContext context, CrossDeviceApproval approval, AuthEvents events, CancellationToken ct)
    {
        var state = await approval.FindAsync(request.LinkToken, ct);
        if (state is not ApprovalState.Found { Login: var login })
        {
            return Problems.From(Failure(state));
        }
        var refused = await approval.RefuseAsync(login, ct);
        events.ApprovalDecided(context, login, "refused", refused ? AuthMetrics.Success : ApiError.CredentialInvalid.Code);
        return refused ? TypedResults.Ok(new ApprovalDecision("refused")) : Problems.From(ApiError.CredentialInvalid);
    }

    private static async Task<Results<Ok<SessionResponse>, Accepted<ApprovalWaiting>, ProblemHttpResult>> CompleteAsync(
        CompleteRequest? request, HttpContext context, BrowserBinding binding, CrossDeviceApproval approval, SignIn signIn,
        AuthEvents events, TimeProvider time, CancellationToken ct)
    {
        // The cookie says which browser asked; an app without it proves the same with its PKCE verifier.
        var loginId = request?.CodeVerifier is null ? binding.Read(context) : request.AuthRequestId;
        if (loginId is null)
        {
            return Problems.From(ApiError.AuthRequestInvalid);
        }
        var state = await approval.CheckAsync(loginId, request?.CodeVerifier, ct);
        if (state is ApprovalState.Waiting)
        {
            return TypedResults.Accepted((string?)null, new ApprovalWaiting());
        }
        var started = events.Start();
        var checkedOut = state is ApprovalState.Found { Login: var login }
            ? new VerifyResult.Verified(new VerifiedLogin(login.Id, login.Email, login.ReturnTo, login.Template, login.State) { Locale = login.Locale })
            : (VerifyResult)new VerifyResult.Failed(Failure(state));
        var (result, session) = await signIn.CompleteAsync(context, checkedOut, ApiError.AuthRequestInvalid, ct);
        await events.VerifiedAsync(context, "approval", loginId, result, started, ct);
        return result is VerifyResult.Failed failed
            ? Problems.From(failed.Failure)
            : TypedResults.Ok(SessionResponse.From(session!, time.GetUtcNow()));
    }

    private static ApiError Failure(ApprovalState state) => state is ApprovalState.Failed { Error: var error } ? error : ApiError.CredentialInvalid;
}
