using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Auth;

public sealed record SignInOutcome(VerifyResult Result, ActiveSession? Session);

// After a code or link checked out: everything that can fail runs first, then the login is consumed, then only the
// cookie is left (SECURITY.md item 29). Both verify endpoints end here.
public sealed class SignIn(IPasswordlessProvider provider, SessionService sessions, ReturnToPolicy returnToPolicy, BrowserBinding binding)
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
        var record = await sessions.PrepareAsync(context, login, ct);
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
