using System.Net;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Sessions;

// A completed sign-in: the address used, the verify answer and the session cookie it set.
public sealed record SignedIn(string Email, LoginMail Mail, HttpResponseMessage Verified, string SessionCookie)
{
    public JsonWebToken Token => new(SessionCookie);

    public string SessionId => Token.GetClaim(SessionKit.SessionIdClaim).Value;
}

public static class SessionKit
{
    public const string SessionCookieName = "__Host-pwl-session";
    public const string BindingCookieName = "__Host-pwl-login";
    public const string SessionIdClaim = "sid";
    public const string Issuer = "https://localhost";
    public const string Audience = "passwordless-bff";

    // Signs in through the OTP path in this browser; nth is which email to that address carries the code.
    public static async Task<SignedIn> SignInWithCodeAsync(BffFactory factory, Browser browser, string? email = null, int nth = 1)
    {
        email ??= Addresses.Unique("session");
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email, nth);
        var verified = await browser.VerifyCodeAsync(mail.Code!);
        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        var cookie = browser.Cookie(SessionCookieName);
        Assert.False(string.IsNullOrEmpty(cookie), "verify set no session cookie");
        return new SignedIn(email, mail, verified, cookie!);
    }

    public static IReadOnlyList<string> RawSetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues(HeaderNames.SetCookie, out var values) ? [.. values] : [];

    public static SetCookieHeaderValue SetCookie(HttpResponseMessage response, string name)
    {
        var raw = RawSetCookies(response).SingleOrDefault(h => h.StartsWith(name + "=", StringComparison.Ordinal));
        Assert.True(raw is not null, $"no Set-Cookie for {name}; got: {string.Join(" | ", RawSetCookies(response))}");
        return SetCookieHeaderValue.Parse(raw);
    }

    // A plain request (no cookie jar) that carries exactly the session cookie value given.
    public static async Task<HttpResponseMessage> GetWithSessionCookieAsync(BffFactory factory, string path, string cookieValue)
    {
        using var client = factory.CreateDefaultClient(Browser.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(HeaderNames.Cookie, $"{SessionCookieName}={cookieValue}");
        return await client.SendAsync(request);
    }

    public static string DecodeSegment(string segment) => Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(segment));

    public static SymmetricSecurityKey ServiceKey(string keyId) =>
        new(Convert.FromBase64String(BffFactory.TestSigningKey)) { KeyId = keyId };
}
