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
            return TryPercentEncode(returnTo, out target);
        }
        if (Uri.TryCreate(returnTo, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            && string.IsNullOrEmpty(uri.UserInfo)
            && options.Value.AllowedOriginSet.Contains(uri.GetLeftPart(UriPartial.Authority), StringComparer.OrdinalIgnoreCase))
        {
            return TryPercentEncode(uri.AbsoluteUri, out target);
        }
        return false;
    }

    // The target ends up in a Location header, which carries ASCII only: "/café" becomes "/caf%C3%A9" here, at send,
    // rather than failing after the login was consumed (SECURITY.md item 29).
    private static bool TryPercentEncode(string value, out string encoded)
    {
        encoded = "/";
        var builder = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is > ' ' and < (char)0x7F)
            {
                builder.Append(value[i]);
                continue;
            }
            var length = char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            if (char.IsSurrogate(value[i]) && length == 1)
            {
                return false;
            }
            builder.Append(Uri.EscapeDataString(value.AsSpan(i, length)));
            i += length - 1;
        }
        encoded = builder.ToString();
        return encoded.Length <= MaxLength;
    }
}
