using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Policy;
using PasswordlessBff.Sessions;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Auth;

public sealed record SignInOutcome(VerifyResult Result, ActiveSession? Session);

// After a code or link checked out: everything that can fail runs first (returnTo, the sign-in policy and its hook,
// the session record), then the login is consumed, then only the cookie is left (SECURITY.md item 29). Both verify
// endpoints end here, whichever provider checked the credential.
public sealed class SignIn(
    IPasswordlessProvider provider, SessionService sessions, ReturnToPolicy returnToPolicy, SignInPolicy policy, BrowserBinding binding)
{
    // lostRace: what a verification hears when another one consumed the login first (every loser hears the same).
    public async Task<SignInOutcome> CompleteAsync(HttpContext context, VerifyResult checkedOut, ApiError lostRace, CancellationToken ct)
    {
        if (checkedOut is not VerifyResult.Verified { Login: var login })
        {
            return new SignInOutcome(checkedOut, null);
        }
        // Accepted at send, but the allowed origins may have changed since: refused while the login is still usable.
        if (!returnToPolicy.TryNormalize(login.ReturnTo, out var returnTo))
        {
            return Failed(ApiError.ReturnToNotAllowed);
        }
        login = login with { ReturnTo = returnTo };
        SessionUser user;
        switch (await policy.DecideAtVerifyAsync(context, login, ct))
        {
            case VerifyDecision.Allowed allowed:
                user = allowed.User;
                break;
            case VerifyDecision.Refused:
                // The team said no: this login ends here, with no session, so the same code cannot be tried again.
                await provider.CompleteAsync(login, ct);
                return Failed(ApiError.SignInNotAllowed);
            default:
                // No usable answer from the hook: nothing consumed, the same code or link works once it is back.
                return Failed(ApiError.UpstreamUnavailable);
        }
        var record = await sessions.PrepareAsync(context, login, user, ct);
        if (!await provider.CompleteAsync(login, ct))
        {
            await sessions.DiscardAsync(record, ct);
            return Failed(lostRace);
        }
        var session = sessions.Issue(context, record);
        binding.Clear(context);
        return new SignInOutcome(new VerifyResult.Verified(login), session);
    }

    private static SignInOutcome Failed(ApiError error) => new(new VerifyResult.Failed(error), null);
}
