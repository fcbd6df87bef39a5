using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using PasswordlessBff.Auth;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public abstract class PkceTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task TheCodeWithTheRightVerifierSignsInAnAppThatHoldsNoBindingCookie()
    {
        using var app = new App(factory);
        var (sent, mail) = await app.SendAsync();

        var verified = await app.VerifyAsync(new { code = mail.Code, authRequestId = sent.AuthRequestId, codeVerifier = app.Verifier });

        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        Assert.Contains(verified.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SessionOptions.DefaultCookieName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheLinkWithTheRightVerifierSignsInAnAppThatHoldsNoBindingCookie()
    {
        using var app = new App(factory);
        var (_, mail) = await app.SendAsync();

        await Expect.StatusAsync(await app.VerifyAsync(new { linkToken = mail.LinkToken, codeVerifier = app.Verifier }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task AWrongOrMissingVerifierDoesNotSignInAndCountsAsAFailedAttempt()
    {
        using var app = new App(factory);
        var (sent, mail) = await app.SendAsync();
        var wrong = Verifier();

        await Expect.ProblemAsync(await app.VerifyAsync(new { code = mail.Code, authRequestId = sent.AuthRequestId, codeVerifier = wrong }),
            HttpStatusCode.BadRequest, "code_verifier_invalid");
        await Expect.ProblemAsync(await app.VerifyAsync(new { code = mail.Code, authRequestId = sent.AuthRequestId }),
            HttpStatusCode.BadRequest, "code_verifier_invalid");
        await Expect.ProblemAsync(await app.VerifyAsync(new { linkToken = mail.LinkToken, codeVerifier = wrong }),
            HttpStatusCode.BadRequest, "code_verifier_invalid");

        Assert.Equal(3, (await factory.LoginAsync(sent.AuthRequestId))!.FailedAttempts);
        await Expect.StatusAsync(await app.VerifyAsync(new { linkToken = mail.LinkToken, codeVerifier = app.Verifier }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheBrowserThatSentDoesNotSignInWithItsBindingCookieAlone()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var challenge = Pkce.ChallengeOf(Verifier());
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.SendPath, new { email, codeChallenge = challenge, codeChallengeMethod = "S256" }),
            HttpStatusCode.OK);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        await Expect.ProblemAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.BadRequest, "code_verifier_invalid");
        Assert.Equal("/?error=code_verifier_invalid", (await browser.OpenLinkAsync(mail.Link!)).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task FiveWrongVerifiersEndTheLoginEvenForTheRightOne()
    {
        using var app = new App(factory);
        var (sent, mail) = await app.SendAsync();
        for (var i = 0; i < 4; i++)
        {
            await Expect.ProblemAsync(await app.VerifyAsync(new { code = mail.Code, authRequestId = sent.AuthRequestId, codeVerifier = Verifier() }),
                HttpStatusCode.BadRequest, "code_verifier_invalid");
        }

        await Expect.ProblemAsync(await app.VerifyAsync(new { code = mail.Code, authRequestId = sent.AuthRequestId, codeVerifier = Verifier() }),
            HttpStatusCode.TooManyRequests, "too_many_attempts");
        await Expect.ProblemAsync(await app.VerifyAsync(new { code = mail.Code, authRequestId = sent.AuthRequestId, codeVerifier = app.Verifier }),
            HttpStatusCode.TooManyRequests, "too_many_attempts");
    }

    [Fact]
    public async Task AVerifierIsNoSubstituteForTheBindingCookieOfALoginSentWithoutAChallenge()
    {
        using var browser = factory.NewBrowser();
        using var other = new App(factory);
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        await Expect.ProblemAsync(await other.VerifyAsync(new { linkToken = mail.LinkToken, codeVerifier = other.Verifier }),
            HttpStatusCode.BadRequest, "code_verifier_invalid");
        Assert.Equal(0, (await factory.LoginAsync(sent.AuthRequestId))!.FailedAttempts);
        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), "/");
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("s256")]
    [InlineData(null)]
    public async Task OnlyS256ChallengesAreAccepted(string? method)
    {
        using var app = new App(factory);

        var refused = await app.PostAsync(AuthApi.SendPath,
            new { email = Addresses.Unique(), codeChallenge = Pkce.ChallengeOf(app.Verifier), codeChallengeMethod = method });

        await Expect.ProblemAsync(refused, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")]
    public async Task AChallengeThatIsNotAnS256HashIsRefused(string challenge)
    {
        using var app = new App(factory);

        var refused = await app.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique(), codeChallenge = challenge, codeChallengeMethod = "S256" });

        await Expect.ProblemAsync(refused, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public void TheChallengeOfTheRfc7636ExampleVerifierIsTheRfcsOwn() =>
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.ChallengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

    private static string Verifier() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // A native app: its own HTTP client without a cookie jar, so it never holds the binding cookie.
    private sealed class App(TFactory factory) : IDisposable
    {
        private readonly HttpClient _http = new(factory.Server.CreateHandler()) { BaseAddress = Browser.BaseAddress };

        public string Verifier { get; } = PkceTests<TFactory>.Verifier();

        public async Task<(SendResponse Sent, LoginMail Mail)> SendAsync()
        {
            var email = Addresses.Unique("app");
            var response = await PostAsync(AuthApi.SendPath, new { email, codeChallenge = Pkce.ChallengeOf(Verifier), codeChallengeMethod = "S256" });
            await Expect.StatusAsync(response, HttpStatusCode.OK);
            return ((await response.Content.ReadFromJsonAsync<SendResponse>())!, await LoginMail.ReceiveAsync(factory, email));
        }

        public Task<HttpResponseMessage> VerifyAsync(object body) => PostAsync(AuthApi.VerifyPath, body);

        public Task<HttpResponseMessage> PostAsync(string path, object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("X-CSRF", "1");
            return _http.SendAsync(request);
        }

        public void Dispose() => _http.Dispose();
    }
}

public sealed class PkceTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : PkceTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class PkceTestsOnRedis(Bff<RedisStore, Defaults> factory) : PkceTests<Bff<RedisStore, Defaults>>(factory);

public sealed class PkceTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory) : PkceTests<Bff<RedisClusterStore, Defaults>>(factory);
