using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Sessions;

// SECURITY.md items 17 and 18: what the cookies hold, how they are set, and that every login gets a fresh session.
public abstract class SessionCookieTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    private static readonly string[] OpaqueTokenClaims = ["iss", "aud", "exp", "nbf", "iat", "sid", "jti"];

    [Fact]
    public async Task SessionCookieCarriesNoEmailWhenItsSegmentsAreBase64UrlDecoded()
    {
        using var browser = factory.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);
        var localPart = signedIn.Email[..signedIn.Email.IndexOf('@', StringComparison.Ordinal)];

        var segments = signedIn.SessionCookie.Split('.');
        Assert.Equal(3, segments.Length);
        foreach (var decoded in segments[..2].Select(SessionKit.DecodeSegment).Append(signedIn.SessionCookie))
        {
            Assert.DoesNotContain("@", decoded, StringComparison.Ordinal);
            Assert.DoesNotContain(localPart, decoded, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task SessionTokenPayloadHoldsNothingButRegisteredClaimsAndTheOpaqueSessionId()
    {
        using var browser = factory.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);

        using var payload = JsonDocument.Parse(SessionKit.DecodeSegment(signedIn.SessionCookie.Split('.')[1]));
        var names = payload.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(names, name => Assert.Contains(name, OpaqueTokenClaims));
        Assert.Contains("sid", names);
    }

    [Fact]
    public async Task NoCookieTheServiceSetsContainsTheEmail()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("cookie");
        var localPart = email[..email.IndexOf('@', StringComparison.Ordinal)];

        var sent = await browser.PostAsync(AuthApi.SendPath, new { email });
        await Expect.StatusAsync(sent, HttpStatusCode.OK);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        var verified = await browser.VerifyCodeAsync(mail.Code!);
        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        var logout = await browser.PostAsync(SessionApi.LogoutPath);
        await Expect.StatusAsync(logout, HttpStatusCode.NoContent);

        var setCookies = new[] { sent, verified, logout }.SelectMany(SessionKit.RawSetCookies).ToList();
        Assert.Contains(setCookies, c => c.StartsWith(BrowserBindingCookie + "=", StringComparison.Ordinal));
        Assert.Contains(setCookies, c => c.StartsWith(SessionKit.SessionCookieName + "=", StringComparison.Ordinal));
        foreach (var header in setCookies)
        {
            var value = SetCookieHeaderValue.Parse(header).Value.ToString();
            Assert.DoesNotContain("@", value, StringComparison.Ordinal);
            Assert.DoesNotContain("@", Uri.UnescapeDataString(value), StringComparison.Ordinal);
            // Decoded ciphertext is random bytes that may hold an '@'; the address's unique local part never would.
            foreach (var readable in Readings(value))
            {
                Assert.DoesNotContain(localPart, readable, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task TwoSignInsGetDifferentSessionIds()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("twice");

        var first = await SessionKit.SignInWithCodeAsync(factory, browser, email);
        var firstMe = await MeAsync(browser);
        var second = await SessionKit.SignInWithCodeAsync(factory, browser, email, nth: 2);
        var secondMe = await MeAsync(browser);

        Assert.NotEqual(first.SessionId, second.SessionId);
        Assert.NotEqual(first.SessionCookie, second.SessionCookie);
        Assert.Equal(first.SessionId, firstMe.SessionId);
        Assert.Equal(second.SessionId, secondMe.SessionId);
        Assert.NotEqual(firstMe.SessionId, secondMe.SessionId);
    }

    [Fact]
    public async Task VerifyDeletesTheBindingCookie()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("binding");
        await browser.SendAsync(email);
        Assert.NotNull(browser.Cookie(BrowserBindingCookie));
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var verified = await browser.VerifyCodeAsync(mail.Code!);
        await Expect.StatusAsync(verified, HttpStatusCode.OK);

        var deletion = SessionKit.SetCookie(verified, BrowserBindingCookie);
        Assert.True(deletion.Value.Length == 0, $"binding cookie not emptied: {deletion}");
        Assert.True(deletion.Expires < factory.Time.GetUtcNow() && deletion.Expires < DateTimeOffset.UtcNow,
            $"binding cookie not expired: {deletion}");
        Assert.Null(browser.Cookie(BrowserBindingCookie));
    }

    [Fact]
    public async Task MagicLinkSignInDeletesTheBindingCookie()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("linkbinding");
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var opened = await browser.OpenLinkAsync(mail.Link!);
        Assert.Equal(HttpStatusCode.SeeOther, opened.StatusCode);
        Assert.NotNull(browser.Cookie(SessionKit.SessionCookieName));

        var deletion = SessionKit.SetCookie(opened, BrowserBindingCookie);
        Assert.True(deletion.Expires < DateTimeOffset.UtcNow, $"binding cookie not expired: {deletion}");
        Assert.Null(browser.Cookie(BrowserBindingCookie));
    }

    [Fact]
    public async Task SessionCookieHasHostPrefixAndLockedDownAttributes()
    {
        using var browser = factory.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);

        AssertLockedDown(signedIn.Verified, SessionKit.SessionCookieName);
        var cookie = SessionKit.SetCookie(signedIn.Verified, SessionKit.SessionCookieName);
        Assert.True(cookie.Expires > factory.Time.GetUtcNow(), "the session cookie is persistent until the absolute expiry");
    }

    [Fact]
    public async Task BindingCookieHasHostPrefixAndLockedDownAttributes()
    {
        using var browser = factory.NewBrowser();
        var sent = await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique("attrs") });
        await Expect.StatusAsync(sent, HttpStatusCode.OK);

        AssertLockedDown(sent, BrowserBindingCookie);
    }

    [Fact]
    public void DefaultSessionCookieNameIsHostPrefixed() =>
        Assert.Equal(SessionKit.SessionCookieName, new SessionOptions().CookieName);

    private const string BrowserBindingCookie = SessionKit.BindingCookieName;

    private static void AssertLockedDown(HttpResponseMessage response, string name)
    {
        Assert.StartsWith("__Host-", name, StringComparison.Ordinal);
        var raw = SessionKit.RawSetCookies(response).Single(h => h.StartsWith(name + "=", StringComparison.Ordinal));
        var cookie = SetCookieHeaderValue.Parse(raw);
        Assert.True(cookie.HttpOnly, $"not HttpOnly: {raw}");
        Assert.True(cookie.Secure, $"not Secure: {raw}");
        Assert.Equal(SameSiteMode.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path.ToString());
        Assert.True(cookie.Domain.Value is null, $"has a Domain: {raw}");
        Assert.DoesNotContain("domain=", raw, StringComparison.OrdinalIgnoreCase);
        Assert.True(raw.Length < 4096, $"Set-Cookie is {raw.Length} bytes");
    }

    // The value as sent, URL-decoded, and base64url-decoded as a whole and per dot-separated segment.
    private static IEnumerable<string> Readings(string value)
    {
        yield return value;
        var unescaped = Uri.UnescapeDataString(value);
        yield return unescaped;
        foreach (var part in unescaped.Split('.').Prepend(unescaped))
        {
            string? decoded = null;
            try
            {
                decoded = System.Text.Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(part));
            }
            catch (FormatException)
            {
            }
            if (decoded is not null)
            {
                yield return decoded;
            }
        }
    }

    private static async Task<MeResponse> MeAsync(Browser browser)
    {
        var me = await browser.GetAsync(SessionApi.MePath);
        await Expect.StatusAsync(me, HttpStatusCode.OK);
        return (await me.Content.ReadFromJsonAsync<MeResponse>())!;
    }
}

public sealed class SessionCookieTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : SessionCookieTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class SessionCookieTestsOnRedis(Bff<RedisStore, Defaults> factory) : SessionCookieTests<Bff<RedisStore, Defaults>>(factory);

public sealed class SessionCookieTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : SessionCookieTests<Bff<RedisClusterStore, Defaults>>(factory);
