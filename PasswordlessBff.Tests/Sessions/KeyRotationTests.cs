using System.Net;
using System.Security.Cryptography;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Sessions;

// SECURITY.md item 21: the newest configured key signs, older ones validate until removed, each under its own kid.
public abstract class KeyRotationTests<TFactory>(TFactory store) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task RotatingKeysMidSessionKeepsOldCookiesValidUntilTheOldKeyIsRemoved()
    {
        var oldKey = Convert.FromBase64String(BffFactory.TestSigningKey);
        var newKey = RandomNumberGenerator.GetBytes(32);
        string oldCookie;
        await using (var before = store.CreateSibling())
        {
            using var browser = before.NewBrowser();
            oldCookie = (await SessionKit.SignInWithCodeAsync(before, browser)).SessionCookie;
        }
        Assert.Equal(SigningKeyRing.KeyIdOf(oldKey), new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(oldCookie).Kid);

        string newCookie;
        await using (var rotated = store.CreateSibling(new Dictionary<string, string?> { ["Session:SigningKeys:0"] = Convert.ToBase64String(newKey) }))
        {
            await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(rotated, SessionApi.MePath, oldCookie), HttpStatusCode.OK);
            using var browser = rotated.NewBrowser();
            var signedIn = await SessionKit.SignInWithCodeAsync(rotated, browser);
            newCookie = signedIn.SessionCookie;
            Assert.Equal(SigningKeyRing.KeyIdOf(newKey), signedIn.Token.Kid);
        }

        await using var retired = store.CreateSibling(new Dictionary<string, string?>
        {
            ["Session:SigningKeys:0"] = Convert.ToBase64String(newKey),
            ["Session:SigningKey"] = "",
        });
        await Expect.ProblemAsync(await SessionKit.GetWithSessionCookieAsync(retired, SessionApi.MePath, oldCookie), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(retired, SessionApi.MePath, newCookie), HttpStatusCode.OK);
    }
}

public sealed class KeyRotationTestsOnSqlite(Bff<SqliteStore, Defaults> store) : KeyRotationTests<Bff<SqliteStore, Defaults>>(store);
public sealed class KeyRotationTestsOnRedis(Bff<RedisStore, Defaults> store) : KeyRotationTests<Bff<RedisStore, Defaults>>(store);
