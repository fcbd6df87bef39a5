namespace PasswordlessBff.Auth;

// "Safari on iOS": enough for a person to recognise the browser that asked, and nothing more is kept.
public static class UserAgentSummary
{
    public static string Of(string? userAgent)
    {
        var ua = userAgent ?? "";
        return $"{Browser(ua)} on {System(ua)}";
    }

    private static string Browser(string ua) =>
        Has(ua, "FBAN") || Has(ua, "FBAV") ? "Facebook's in-app browser"
        : Has(ua, "Instagram") ? "Instagram's in-app browser"
        : Has(ua, "Edg/") || Has(ua, "EdgA/") || Has(ua, "EdgiOS/") ? "Edge"
        : Has(ua, "SamsungBrowser/") ? "Samsung Internet"
        : Has(ua, "Firefox/") || Has(ua, "FxiOS/") ? "Firefox"
        : Has(ua, "Chrome/") || Has(ua, "CriOS/") ? "Chrome"
        : Has(ua, "Safari/") ? "Safari"
        : "an unknown browser";

    private static string System(string ua) =>
        Has(ua, "iPhone") || Has(ua, "iPad") ? "iOS"
        : Has(ua, "Android") ? "Android"
        : Has(ua, "CrOS") ? "ChromeOS"
        : Has(ua, "Windows") ? "Windows"
        : Has(ua, "Mac OS X") || Has(ua, "Macintosh") ? "macOS"
        : Has(ua, "Linux") ? "Linux"
        : "an unknown system";

    private static bool Has(string ua, string token) => ua.Contains(token, StringComparison.Ordinal);
}
