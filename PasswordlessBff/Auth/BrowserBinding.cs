using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Auth;

// The cookie that ties a pending login to the browser that started it: a protected login id with its expiry.
public sealed class BrowserBinding(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string CookieName = "__Host-pwl-login";
    private readonly IDataProtector _protector = dataProtection.CreateProtector("PasswordlessBff.BrowserBinding.v1");

    public void Set(HttpContext context, string loginId, DateTimeOffset expiresAt)
    {
        var payload = $"{expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}|{loginId}";
        context.Response.Cookies.Append(CookieName, _protector.Protect(payload), SessionCookies.Options(expiresAt));
    }

    public string? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value) || value.Length > 1024)
        {
            return null;
        }
        try
        {
            var payload = _protector.Unprotect(value);
            var separator = payload.IndexOf('|', StringComparison.Ordinal);
            var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(payload[..separator], CultureInfo.InvariantCulture));
            return time.GetUtcNow() < expires ? payload[(separator + 1)..] : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    public void Clear(HttpContext context)
    {
        if (context.Request.Cookies.ContainsKey(CookieName))
        {
            context.Response.Cookies.Delete(CookieName, SessionCookies.Options(expires: null));
        }
    }
}
