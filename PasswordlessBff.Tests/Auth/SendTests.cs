using System.Net;
using System.Text.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public abstract class SendTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Theory]
    [InlineData("not-an-address")]
    [InlineData("ada@example.com\r\nBcc: eve@example.com")]
    [InlineData("ada@exa\nmple.com")]
    [InlineData("Ada Lovelace <ada@example.com>")]
    [InlineData("")]
    [InlineData("@example.com")]
    public async Task InvalidAddressesAreValidationFailed(string email)
    {
        using var browser = factory.NewBrowser();
        var problem = await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email }), HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));
    }

    [Fact]
    public async Task AnAddressOver320CharactersIsValidationFailed()
    {
        using var browser = factory.NewBrowser();
        var email = new string('a', 64) + "@" + string.Join(".", Enumerable.Repeat(new string('b', 60), 5)) + ".com";
        Assert.True(email.Length > 320);
        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email }), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task TheThirdEmailToOneAddressWithinAMinuteIsRateLimitedWithRetryAfter()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        factory.Time.Advance(TimeSpan.FromSeconds(40));
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.OK);

        var limited = await browser.PostAsync(AuthApi.SendPath, new { email });
        var problem = await Expect.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(20, problem.GetProperty("retryAfter").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(20), limited.Headers.RetryAfter?.Delta);
        await factory.Smtp.WaitForAsync(email, count: 2);

        factory.Time.Advance(TimeSpan.FromSeconds(20));
        await browser.SendAsync(email);
    }

    [Fact]
    public async Task AddressesAreNormalisedBeforeTheLimit()
    {
        using var browser = factory.NewBrowser();
        var local = $"norm-{Guid.NewGuid():N}";
        await browser.SendAsync($"  {local}@Example.COM ");
        await browser.SendAsync($"{local}@example.com");
        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email = $"{local}@EXAMPLE.com" }), HttpStatusCode.TooManyRequests, "rate_limited");
        await factory.Smtp.WaitForAsync($"{local}@example.com", count: 2);
        Assert.Equal(2, factory.Smtp.CountFor($"{local}@example.com"));
    }

    [Fact]
    public async Task EveryWellFormedAddressGetsTheSameAnswerShape()
    {
        using var browser = factory.NewBrowser();
        var first = await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique("known") });
        var second = await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique("never-seen") });
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(PropertyNames(await first.Content.ReadAsStringAsync()), PropertyNames(await second.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("//evil.example/path")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("http://localhost/")]
    [InlineData("https://user@localhost/")]
    public async Task ReturnToOutsideTheAllowedOriginsIsRefused(string returnTo)
    {
        using var browser = factory.NewBrowser();
        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique(), returnTo }), HttpStatusCode.BadRequest, "return_to_not_allowed");
    }

    [Theory]
    [InlineData("/dashboard", "/dashboard")]
    [InlineData("https://localhost/app?x=1", "https://localhost/app?x=1")]
    [InlineData(null, "/")]
    public async Task ReturnToMayBeARelativePathOrAnAllowedOrigin(string? returnTo, string expected)
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email, returnTo);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), expected);
    }

    [Fact]
    public async Task TheMagicLinkIsBuiltFromPublicBaseUrlNeverFromRequestHeaders()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var response = await browser.PostAsync(AuthApi.SendPath, new { email }, configure: request =>
        {
            request.Headers.Host = "evil.example";
            request.Headers.Add("X-Forwarded-Host", "evil.example");
            request.Headers.Add("X-Forwarded-Proto", "http");
        });
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        Assert.StartsWith("https://localhost/api/auth/verify?link_token=", mail.Link!.AbsoluteUri, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", mail.Message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBindingCookieIsHostPrefixedHttpOnlyAndLivesNoLongerThanTheLogin()
    {
        using var browser = factory.NewBrowser();
        var response = await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique() });
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-pwl-login=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        var expires = DateTimeOffset.Parse(cookie.Split(';').Single(p => p.Trim().StartsWith("expires=", StringComparison.OrdinalIgnoreCase)).Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(expires <= factory.Time.GetUtcNow().AddSeconds(301));
    }

    [Fact]
    public async Task AnAddressThatHasSignedInBeforeAndANeverSeenOneGetTheSameAnswersToSendResendAndTheThrottle()
    {
        using var signIn = factory.NewBrowser();
        var known = Addresses.Unique("known");
        await Sessions.SessionKit.SignInWithCodeAsync(factory, signIn, known);
        factory.Time.Advance(TimeSpan.FromMinutes(2));
        var answers = new List<string>();

        foreach (var email in new[] { known, Addresses.Unique("never-seen") })
        {
            using var browser = factory.NewBrowser();
            var sequence = new[]
            {
                await browser.PostAsync(AuthApi.SendPath, new { email }),
                await browser.PostAsync(AuthApi.ResendPath),
                await browser.PostAsync(AuthApi.SendPath, new { email }),
            };
            var described = new List<string>();
            foreach (var response in sequence)
            {
                var body = await response.Content.ReadAsStringAsync();
                var retryAfter = JsonDocument.Parse(body).RootElement.TryGetProperty("retryAfter", out var wait) ? wait.GetInt32() : 0;
                described.Add($"{(int)response.StatusCode} [{string.Join(",", PropertyNames(body))}] retryAfter={retryAfter}");
            }
            answers.Add(string.Join(" | ", described));
        }

        Assert.StartsWith("200", answers[0], StringComparison.Ordinal);
        Assert.Contains("429", answers[0], StringComparison.Ordinal);
        Assert.Equal(answers[0], answers[1]);
    }

    private static string[] PropertyNames(string json) =>
        [.. JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).Order()];
}

public sealed class SendTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : SendTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class SendTestsOnRedis(Bff<RedisStore, Defaults> factory) : SendTests<Bff<RedisStore, Defaults>>(factory);

public sealed class SendTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory) : SendTests<Bff<RedisClusterStore, Defaults>>(factory);
