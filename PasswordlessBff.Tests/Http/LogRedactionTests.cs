using System.Net;
using Microsoft.Net.Http.Headers;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Http;

// SECURITY.md item 26: no code, link token, cookie value or full address in any log line the service writes.
public abstract class LogRedactionTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task NoLogLineContainsACodeLinkTokenEmailOrCookieValueAfterSignInsAndLogout()
    {
        var secrets = new List<string>();
        var email = Addresses.Unique("logs");
        secrets.Add(email);

        using (var codeBrowser = factory.NewBrowser())
        {
            var sent = await codeBrowser.PostAsync(AuthApi.SendPath, new { email });
            await Expect.StatusAsync(sent, HttpStatusCode.OK);
            var mail = await LoginMail.ReceiveAsync(factory, email);
            var verified = await codeBrowser.VerifyCodeAsync(mail.Code!);
            await Expect.StatusAsync(verified, HttpStatusCode.OK);
            await Expect.StatusAsync(await codeBrowser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
            var logout = await codeBrowser.PostAsync(SessionApi.LogoutPath);
            await Expect.StatusAsync(logout, HttpStatusCode.NoContent);
            secrets.AddRange([mail.Code!, mail.LinkToken!]);
            var cookies = CookieValues(sent, verified, logout);
            Assert.Equal(2, cookies.Count);
            secrets.AddRange(cookies);
        }

        factory.Time.Advance(TimeSpan.FromMinutes(1));
        using (var linkBrowser = factory.NewBrowser())
        {
            var sent = await linkBrowser.PostAsync(AuthApi.SendPath, new { email, returnTo = "/after-link" });
            await Expect.StatusAsync(sent, HttpStatusCode.OK);
            var mail = await LoginMail.ReceiveAsync(factory, email, nth: 2);
            var opened = await linkBrowser.OpenLinkAsync(mail.Link!);
            Expect.RedirectTo(opened, "/after-link");
            await Expect.StatusAsync(await linkBrowser.GetAsync(SessionApi.SessionPath), HttpStatusCode.OK);
            var logout = await linkBrowser.PostAsync(SessionApi.LogoutPath);
            await Expect.StatusAsync(logout, HttpStatusCode.NoContent);
            secrets.AddRange([mail.Code!, mail.LinkToken!]);
            var cookies = CookieValues(sent, opened, logout);
            Assert.Equal(2, cookies.Count);
            secrets.AddRange(cookies);
        }

        Assert.All(secrets, secret => Assert.False(string.IsNullOrEmpty(secret)));
        var lines = factory.Logs.Lines.ToList();
        // The capture works and the delivery of the first email was logged, masked.
        Assert.Contains(lines, line => line.Contains($"Sign-in email to {email[0]}***@example.com", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            var leaking = lines.Where(line => line.Contains(secret, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(leaking.Count == 0, $"a log line carries a secret ({secret[..Math.Min(8, secret.Length)]}…): {string.Join(Environment.NewLine, leaking)}");
        }
    }

    // Every non-empty cookie value the service set, binding and session alike.
    private static List<string> CookieValues(params HttpResponseMessage[] responses) => [.. responses
        .SelectMany(SessionKit.RawSetCookies)
        .Select(raw => SetCookieHeaderValue.Parse(raw).Value.ToString())
        .Where(value => value.Length > 0)];
}

public sealed class LogRedactionTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : LogRedactionTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class LogRedactionTestsOnRedis(Bff<RedisStore, Defaults> factory) : LogRedactionTests<Bff<RedisStore, Defaults>>(factory);

public sealed class LogRedactionTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : LogRedactionTests<Bff<RedisClusterStore, Defaults>>(factory);
