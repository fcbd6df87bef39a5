namespace PasswordlessBff.Sessions;

// The attributes API.md fixes for every cookie we set: __Host- compatible, HttpOnly, Lax.
public static class SessionCookies
{
    public static CookieOptions Options(DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
