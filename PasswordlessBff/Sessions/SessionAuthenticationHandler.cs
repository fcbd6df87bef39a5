using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Sessions;

public sealed class SessionAuthenticationOptions : AuthenticationSchemeOptions;

// The session cookie as an ASP.NET Core authentication scheme: the signed cookie and the server-side record make a
// ClaimsPrincipal: sub (the user id), email, sid, a role claim per role and the policy hook's own claims. It reads and never slides: a request counts as use only once it has been answered
// with success (SessionService.CountAsUse).
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<SessionAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SessionService sessions) : AuthenticationHandler<SessionAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "Session";
    public const string SessionIdClaim = "sid";
    public const string EmailClaim = "email";
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    // The claims the session itself sets: a hook's claims may not take these names.
    public static readonly IReadOnlySet<string> ReservedClaims = new HashSet<string>(StringComparer.Ordinal)
    {
        SessionIdClaim, EmailClaim, SubjectClaim, RoleClaim,
    };

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!sessions.HasCookie(Context))
        {
            return AuthenticateResult.NoResult();
        }
        // A store outage is thrown on: the caller answers 503, never a quiet 401.
        var session = await sessions.AuthenticateAsync(Context, slide: false, Context.RequestAborted);
        if (session is null)
        {
            return AuthenticateResult.Fail("The session cookie names no valid session.");
        }
        Context.Features.Set(session);
        var identity = new ClaimsIdentity(
            [
                new Claim(SubjectClaim, session.User.Id), new Claim(EmailClaim, session.Email), new Claim(SessionIdClaim, session.Id),
                .. session.User.Roles.Select(role => new Claim(RoleClaim, role)),
                .. session.User.Claims.Where(c => !ReservedClaims.Contains(c.Key)).Select(c => new Claim(c.Key, c.Value)),
            ], SchemeName, EmailClaim, RoleClaim);
        var properties = new AuthenticationProperties { IssuedUtc = session.CreatedAt, ExpiresUtc = session.ExpiresAt };
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, SchemeName));
    }

    // JSON, never a redirect to a login page: an SPA's fetch switches on the code.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => WriteAsync(ApiError.Unauthenticated);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => WriteAsync(ApiError.Forbidden);

    private async Task WriteAsync(ApiError error)
    {
        Response.StatusCode = error.Status;
        await Problems.From(error).ExecuteAsync(Context);
    }
}
