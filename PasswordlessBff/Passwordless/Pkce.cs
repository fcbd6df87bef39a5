using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using PasswordlessBff.Errors;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Passwordless;

// RFC 7636 with S256 only: an app proves it is the one that asked without sharing cookies with the browser.
public static class Pkce
{
    public const string Method = "S256";

    public static bool IsChallenge(string? challenge) => challenge is { Length: 43 } && challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static bool IsVerifier(string? verifier) =>
        verifier is { Length: >= 43 and <= 128 } && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    public static string ChallengeOf(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    // Null when the verification may go on. A login with a challenge needs its verifier (a wrong or missing one counts
    // as a failed attempt); a login without one takes none, so a verifier can never stand in for a binding cookie.
    public static async Task<ApiError?> CheckAsync(ILoginStore store, PendingLogin login, string? verifier, CancellationToken ct)
    {
        if (login.CodeChallenge is null)
        {
            return verifier is null ? null : ApiError.CodeVerifierInvalid;
        }
        if (verifier is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(login.CodeChallenge), Encoding.ASCII.GetBytes(ChallengeOf(verifier))))
        {
            return null;
        }
        var failures = await store.RecordFailedAttemptAsync(login.Id, ct);
        return failures >= PasswordlessOptions.MaxFailedAttempts ? ApiError.TooManyAttempts : ApiError.CodeVerifierInvalid;
    }
}
