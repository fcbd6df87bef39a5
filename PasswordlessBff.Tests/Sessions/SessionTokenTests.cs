using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Sessions;

// SECURITY.md item 16: the algorithm is pinned and iss/aud/exp/nbf/signature are all checked against a live session.
public abstract class SessionTokenTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    private static readonly string[] ProtectedPaths = [SessionApi.MePath, SessionApi.SessionPath];

    [Fact]
    public async Task SessionCookieIsAJwtSignedWithHs256AndCarryingAKid()
    {
        using var browser = factory.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(factory, browser);

        var token = signedIn.Token;
        Assert.Equal(SecurityAlgorithms.HmacSha256, token.Alg);
        Assert.False(string.IsNullOrEmpty(token.Kid));
        Assert.Equal(SessionKit.Issuer, token.Issuer);
        Assert.Equal([SessionKit.Audience], token.Audiences);
        Assert.False(string.IsNullOrEmpty(signedIn.SessionId));
    }

    [Fact]
    public async Task TokenCraftedCorrectlyForALiveSessionIsAccepted()
    {
        // The control for every refusal below: the crafting itself is right, so only the tampered part is refused.
        var live = await SignInAsync();
        var token = Craft(live, new SigningCredentials(SessionKit.ServiceKey(live.Token.Kid), SecurityAlgorithms.HmacSha256));

        foreach (var path in ProtectedPaths)
        {
            await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(factory, path, token), HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task TokenWithAlgNoneIsRefused()
    {
        var live = await SignInAsync();
        var unsigned = Craft(live, credentials: null);
        Assert.Equal("none", new JsonWebToken(unsigned).Alg);

        await AssertRefusedAsync(unsigned);
    }

    [Fact]
    public async Task RealTokenWithHeaderRewrittenToAlgNoneAndSignatureStrippedIsRefused()
    {
        var live = await SignInAsync();
        var parts = live.SessionCookie.Split('.');
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"none","kid":"{{live.Token.Kid}}","typ":"JWT"}"""));

        await AssertRefusedAsync($"{header}.{parts[1]}.");
    }

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task TokenSignedWithTheServiceKeyUnderAnotherHmacAlgorithmIsRefused(string algorithm)
    {
        var live = await SignInAsync();
        var key = Convert.FromBase64String(BffFactory.TestSigningKey);
        var token = Craft(live, Signed(live));
        // Control: the same hand signing under HS256 is accepted.
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(factory, SessionApi.MePath, Resign(token, "HS256", live.Token.Kid, key)), HttpStatusCode.OK);

        await AssertRefusedAsync(Resign(token, algorithm, live.Token.Kid, key));
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha384)]
    [InlineData(SecurityAlgorithms.HmacSha512)]
    public async Task TokenUnderAnotherHmacAlgorithmIsRefusedEvenWhenTheKeyIsLongEnoughForIt(string algorithm)
    {
        // With a 512-bit key the library would accept HS384/HS512 on its own: only the pinned algorithm refuses them.
        var key = RandomNumberGenerator.GetBytes(64);
        var custom = new BffFactory(new Dictionary<string, string?> { ["Session:SigningKey"] = Convert.ToBase64String(key) });
        try
        {
            using var browser = custom.NewBrowser();
            var live = await SessionKit.SignInWithCodeAsync(custom, browser);
            var serviceKey = new SymmetricSecurityKey(key) { KeyId = live.Token.Kid };
            var control = Craft(custom, live, new SigningCredentials(serviceKey, SecurityAlgorithms.HmacSha256));
            var other = Craft(custom, live, new SigningCredentials(serviceKey, algorithm));
            Assert.Equal(algorithm, new JsonWebToken(other).Alg);

            await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(custom, SessionApi.MePath, control), HttpStatusCode.OK);
            await AssertRefusedAsync(custom, other);
        }
        finally
        {
            await ((IAsyncLifetime)custom).DisposeAsync();
        }
    }

    [Fact]
    public async Task TokenWithAForgedSignatureFromAnotherKeyIsRefused()
    {
        var live = await SignInAsync();
        var wrongKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = live.Token.Kid };

        await AssertRefusedAsync(Craft(live, new SigningCredentials(wrongKey, SecurityAlgorithms.HmacSha256)));
    }

    [Fact]
    public async Task TokenWithAForeignIssuerIsRefused()
    {
        var live = await SignInAsync();
        await AssertRefusedAsync(Craft(live, Signed(live), d => d.Issuer = "https://evil.example"));
    }

    [Fact]
    public async Task TokenWithAForeignAudienceIsRefused()
    {
        var live = await SignInAsync();
        await AssertRefusedAsync(Craft(live, Signed(live), d => d.Audience = "another-app"));
    }

    [Fact]
    public async Task TokenWithoutAnExpiryIsRefused()
    {
        var live = await SignInAsync();
        await AssertRefusedAsync(Craft(live, Signed(live), d => d.Expires = null));
    }

    [Fact]
    public async Task TokenWhoseExpiryHasPassedBeyondTheClockSkewIsRefused()
    {
        var live = await SignInAsync();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        await AssertRefusedAsync(Craft(live, Signed(live), d =>
        {
            d.IssuedAt = now.AddMinutes(-10);
            d.NotBefore = now.AddMinutes(-10);
            d.Expires = now.AddSeconds(-31);
        }));
    }

    [Fact]
    public async Task TokenWhoseNotBeforeIsInTheFutureBeyondTheClockSkewIsRefused()
    {
        var live = await SignInAsync();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        await AssertRefusedAsync(Craft(live, Signed(live), d =>
        {
            d.IssuedAt = now;
            d.NotBefore = now.AddSeconds(31);
            d.Expires = now.AddHours(1);
        }));
    }

    [Fact]
    public async Task CorrectlySignedTokenForASessionThatDoesNotExistIsRefused()
    {
        var live = await SignInAsync();
        var madeUpSid = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

        await AssertRefusedAsync(Craft(live, Signed(live), sessionId: madeUpSid));
    }

    [Fact]
    public async Task TokenWithoutASessionIdClaimIsRefused()
    {
        var live = await SignInAsync();
        await AssertRefusedAsync(Craft(live, Signed(live), d => d.Subject = new ClaimsIdentity([new Claim("sub", "someone")])));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.")]
    [InlineData("....")]
    public async Task GarbageSessionCookieIsRefused(string garbage)
    {
        await SignInAsync();
        await AssertRefusedAsync(garbage);
    }

    [Fact]
    public async Task OverLongSessionCookieIsRefused()
    {
        await SignInAsync();
        await AssertRefusedAsync(new string('a', 8 * 1024));
    }

    [Fact]
    public async Task OverLongSessionCookieIsRefusedEvenWhenCorrectlySignedForALiveSession()
    {
        var live = await SignInAsync();
        var padded = Craft(live, Signed(live), d => d.Claims = new Dictionary<string, object> { ["pad"] = new string('x', 5000) });
        Assert.True(padded.Length > 4096);

        await AssertRefusedAsync(padded);
    }

    private async Task<SignedIn> SignInAsync()
    {
        using var browser = factory.NewBrowser();
        return await SessionKit.SignInWithCodeAsync(factory, browser);
    }

    private static SigningCredentials Signed(SignedIn live) =>
        new(SessionKit.ServiceKey(live.Token.Kid), SecurityAlgorithms.HmacSha256);

    private string Craft(SignedIn live, SigningCredentials? credentials, Action<SecurityTokenDescriptor>? tamper = null, string? sessionId = null) =>
        Craft(factory, live, credentials, tamper, sessionId);

    // A token like the service's own for the live session, then changed by tamper.
    private static string Craft(BffFactory host, SignedIn live, SigningCredentials? credentials,
        Action<SecurityTokenDescriptor>? tamper = null, string? sessionId = null)
    {
        var now = host.Time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = SessionKit.Issuer,
            Audience = SessionKit.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Subject = new ClaimsIdentity([new Claim(SessionKit.SessionIdClaim, sessionId ?? live.SessionId)]),
            SigningCredentials = credentials,
        };
        tamper?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    // The library refuses HMAC keys shorter than the hash, so another HMAC algorithm is signed by hand.
    private static string Resign(string token, string algorithm, string keyId, byte[] key)
    {
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"{{algorithm}}","kid":"{{keyId}}","typ":"JWT"}"""));
        var signingInput = Encoding.ASCII.GetBytes($"{header}.{token.Split('.')[1]}");
        var signature = algorithm switch
        {
            "HS256" => HMACSHA256.HashData(key, signingInput),
            "HS384" => HMACSHA384.HashData(key, signingInput),
            "HS512" => HMACSHA512.HashData(key, signingInput),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        return $"{header}.{token.Split('.')[1]}.{Base64UrlEncoder.Encode(signature)}";
    }

    private Task AssertRefusedAsync(string cookieValue) => AssertRefusedAsync(factory, cookieValue);

    private static async Task AssertRefusedAsync(BffFactory host, string cookieValue)
    {
        foreach (var path in ProtectedPaths)
        {
            var response = await SessionKit.GetWithSessionCookieAsync(host, path, cookieValue);
            await Expect.ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        }
    }
}

public sealed class SessionTokenTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : SessionTokenTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class SessionTokenTestsOnRedis(Bff<RedisStore, Defaults> factory) : SessionTokenTests<Bff<RedisStore, Defaults>>(factory);

public sealed class SessionTokenTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : SessionTokenTests<Bff<RedisClusterStore, Defaults>>(factory);
