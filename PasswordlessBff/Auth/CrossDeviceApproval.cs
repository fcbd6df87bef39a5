using System.Security.Cryptography;
using System.Text;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Passwordless.BuiltIn;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Auth;

public abstract record ApprovalState
{
    private ApprovalState() { }

    public sealed record Waiting : ApprovalState;

    public sealed record Found(PendingLogin Login) : ApprovalState;

    public sealed record Failed(ApiError Error) : ApprovalState;
}

// A link opened in another browser: that browser may approve the login with the asking browser's number, or refuse
// it; only the asking browser (its binding cookie, or an app's PKCE verifier) then signs in, through SignIn.
public sealed class CrossDeviceApproval(ILoginStore store, CredentialHasher hasher, TimeProvider time)
{
    public static string NewNumber() => RandomNumberGenerator.GetInt32(0, 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    // The pending login a link token names, if it can still be approved. Reads only.
    public async Task<ApprovalState> FindAsync(string? linkToken, CancellationToken ct)
    {
        if (!LinkTokenFormat.IsPlausible(linkToken) || await store.FindLinkOwnerAsync(hasher.HashLink(linkToken!), ct) is not { } owner)
        {
            return new ApprovalState.Failed(ApiError.CredentialInvalid);
        }
        var login = await store.GetLoginAsync(owner.LoginId, ct);
        return login is null || login.Completed || login.Approval == LoginApproval.Approved ? new ApprovalState.Failed(ApiError.CredentialInvalid)
            : login.Approval == LoginApproval.Refused ? new ApprovalState.Failed(ApiError.ApprovalRefused)
            : login.FailedAttempts >= PasswordlessOptions.MaxFailedAttempts ? new ApprovalState.Failed(ApiError.TooManyAttempts)
            : time.GetUtcNow() >= owner.ExpiresAt ? new ApprovalState.Failed(ApiError.CredentialExpired)
            // A login from before approvals existed has no number: the code is the way.
            : login.ApprovalNumber is null ? new ApprovalState.Failed(ApiError.BrowserMismatch)
            : new ApprovalState.Found(login);
    }

    // The right number approves; a wrong one refuses, so the number cannot be guessed in a second try.
    public async Task<ApiError?> DecideAsync(PendingLogin login, string? number, CancellationToken ct)
    {
        var right = number is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(login.ApprovalNumber!), Encoding.ASCII.GetBytes(number));
        var decided = await store.TryDecideApprovalAsync(login.Id, right ? LoginApproval.Approved : LoginApproval.Refused,
            PasswordlessOptions.MaxFailedAttempts, ct);
        return !decided ? ApiError.CredentialInvalid : right ? null : ApiError.ApprovalNumberWrong;
    }

    public async Task<bool> RefuseAsync(PendingLogin login, CancellationToken ct) =>
        await store.TryDecideApprovalAsync(login.Id, LoginApproval.Refused, PasswordlessOptions.MaxFailedAttempts, ct);

    // The asking side's poll: waiting, refused, or an approved login ready for SignIn (which consumes it).
    public async Task<ApprovalState> CheckAsync(string loginId, string? codeVerifier, CancellationToken ct)
    {
        var login = await store.GetLoginAsync(loginId, ct);
        if (login is null || login.Completed)
        {
            return new ApprovalState.Failed(ApiError.AuthRequestInvalid);
        }
        if (login.Approval == LoginApproval.Refused)
        {
            return new ApprovalState.Failed(ApiError.ApprovalRefused);
        }
        if (login.FailedAttempts >= PasswordlessOptions.MaxFailedAttempts)
        {
            return new ApprovalState.Failed(ApiError.TooManyAttempts);
        }
        if (time.GetUtcNow() >= login.ExpiresAt)
        {
            return new ApprovalState.Failed(ApiError.CredentialExpired);
        }
        if (login.Approval == LoginApproval.None)
        {
            return new ApprovalState.Waiting();
        }
        return await Pkce.CheckAsync(store, login, codeVerifier, ct) is { } refused ? new ApprovalState.Failed(refused) : new ApprovalState.Found(login);
    }
}
