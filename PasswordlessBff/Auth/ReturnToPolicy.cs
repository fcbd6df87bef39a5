using Microsoft.Extensions.Options;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Auth;

// returnTo is a path on this site or an explicitly allowed origin: never an open redirect (SECURITY.md item 10).
public sealed class ReturnToPolicy(IOptions<PasswordlessOptions> options)
{
    public const int MaxLength = 2048;

    public bool TryNormalize(string? returnTo, out string target)
    {
        target = "/";
        if (string.IsNullOrEmpty(returnTo))
        {
            return true;
        }
        if (returnTo.Length > MaxLength || returnTo.Any(c => char.IsControl(c) || c == '\\'))
        {
            return false;
        }
        if (returnTo.StartsWith('/'))
        {
            // "//evil.example" is protocol-relative: another host.
            if (returnTo.StartsWith("//", StringComparison.Ordinal) || !Uri.TryCreate(returnTo, UriKind.Relative, out _))
            {
                return false;
            }
            target = returnTo;
            return true;
        }
        if (Uri.TryCreate(returnTo, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            && string.IsNullOrEmpty(uri.UserInfo)
            && options.Value.AllowedOriginSet.Contains(uri.GetLeftPart(UriPartial.Authority), StringComparer.OrdinalIgnoreCase))
        {
            target = uri.AbsoluteUri;
            return true;
        }
        return false;
    }
}
