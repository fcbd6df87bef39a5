using System.Net.Mail;

namespace PasswordlessBff.Auth;

// One normal form for an address before any limit or lookup (SECURITY.md item 14).
public static class EmailAddress
{
    public const int MaxLength = 320;

    public static string Normalize(string email)
    {
        var trimmed = email.Trim();
        var at = trimmed.LastIndexOf('@');
        return at < 0 ? trimmed : trimmed[..at] + trimmed[at..].ToLowerInvariant();
    }

    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }
        var value = email.Trim();
        if (value.Length > MaxLength || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return false;
        }
        var at = value.LastIndexOf('@');
        if (at is < 1 or > 64 || at == value.Length - 1 || value.Length - at - 1 > 255)
        {
            return false;
        }
        // The parser must read back exactly the address given: no display names, comments or routes.
        return MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && parsed.DisplayName.Length == 0;
    }
}
