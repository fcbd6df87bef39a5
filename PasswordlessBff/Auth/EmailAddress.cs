using System.Globalization;
using System.Net.Mail;

namespace PasswordlessBff.Auth;

// One canonical form per address before any limit, lookup, session or log (SECURITY.md item 14): SMTP delivers
// "Victim@Example.com." and "victim@example.com" to one mailbox, so they must be one account and one budget.
public static class EmailAddress
{
    // RFC 5321's path limit (256) less the angle brackets.
    public const int MaxLength = 254;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    // Providers that ignore dots in the local part and deliver "a.b+tag" to "ab".
    private static readonly HashSet<string> DotlessDomains = new(StringComparer.Ordinal) { "gmail.com", "googlemail.com" };

    // Trimmed, lower-case, domain through IDNA (UTS #46) to ASCII, no trailing dot: all ASCII, as every SMTP server
    // takes it. Refuses quoted and non-ASCII local parts, domain literals, dotless domains, display names and
    // anything over MaxLength.
    public static bool TryCanonicalize(string? email, out string canonical)
    {
        canonical = "";
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }
        var value = email.Trim();
        if (value.Length > MaxLength || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '"' or '[' or ']' or '\\'))
        {
            return false;
        }
        var at = value.LastIndexOf('@');
        if (at < 1 || at == value.Length - 1)
        {
            return false;
        }
        var local = value[..at].ToLowerInvariant();
        // An ASCII local part: a Unicode one needs SMTPUTF8 on every hop and has no agreed case folding.
        if (local.Length > 64 || !System.Text.Ascii.IsValid(local) || !TryAsciiDomain(value[(at + 1)..], out var domain))
        {
            return false;
        }
        var candidate = $"{local}@{domain}";
        // The parser must read back exactly the address given: no display names, comments or routes.
        if (candidate.Length > MaxLength || !MailAddress.TryCreate(candidate, out var parsed)
            || parsed.Address != candidate || parsed.DisplayName.Length != 0)
        {
            return false;
        }
        canonical = candidate;
        return true;
    }

    // The key of the per-address email budget and the wrong-code gate: the canonical address with its +tag folded
    // (and dots, where the provider ignores them), so one mailbox has one budget however it is spelled.
    public static string MailboxKey(string canonical)
    {
        var at = canonical.LastIndexOf('@');
        var (local, domain) = (canonical[..at], canonical[(at + 1)..]);
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            local = local[..plus];
        }
        if (DotlessDomains.Contains(domain))
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
            domain = "gmail.com";
        }
        return $"{local}@{domain}";
    }

    private static bool TryAsciiDomain(string domain, out string ascii)
    {
        ascii = "";
        domain = domain.EndsWith('.') ? domain[..^1] : domain;
        if (domain.Length == 0 || domain.Length > 253)
        {
            return false;
        }
        try
        {
            // Case-folded and NFC first: the platform's mapping leaves non-ASCII capitals (Ä) as they are.
            ascii = Idn.GetAscii(domain.Normalize(System.Text.NormalizationForm.FormC).ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }
        // A dotless domain (root@localhost) names no public mailbox; a numeric top-level label is an IP address.
        var labels = ascii.Split('.');
        return labels.Length >= 2 && labels.All(label => label.Length is > 0 and <= 63) && !labels[^1].All(char.IsAsciiDigit);
    }
}
