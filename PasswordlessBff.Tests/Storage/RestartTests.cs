using System.Net;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Storage;

// The fixture only holds the store, the SMTP sink and the clock; the hosts under test are its siblings.
public abstract class RestartTests<TFactory>(TFactory store) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task ALinkSentBeforeARestartWorksAfterItAndSessionsSurvive()
    {
        var email = Addresses.Unique();
        var cookies = new CookieContainer();
        LoginMail mail;
        string sessionCookie;

        var before = store.CreateSibling();
        await using (before)
        {
            using var browser = new Browser(before, cookies);
            await browser.SendAsync(email);
            mail = await LoginMail.ReceiveAsync(before, email);

            // A second login signs in before the restart, to check sessions survive too.
            var other = Addresses.Unique();
            using var second = before.NewBrowser();
            await second.SendAsync(other);
            await Expect.StatusAsync(await second.VerifyCodeAsync((await LoginMail.ReceiveAsync(before, other)).Code!), HttpStatusCode.OK);
            sessionCookie = second.Cookie("__Host-pwl-session")!;
        }

        var after = store.CreateSibling();
        await using (after)
        {
            using var browser = new Browser(after, cookies);
            Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), "/");
            await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);

            using var request = new HttpRequestMessage(HttpMethod.Get, SessionApi.MePath);
            request.Headers.Add("Cookie", $"__Host-pwl-session={sessionCookie}");
            using var plain = after.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = Browser.BaseAddress, HandleCookies = false });
            await Expect.StatusAsync(await plain.SendAsync(request), HttpStatusCode.OK);
        }
    }
}

public sealed class RestartTestsOnSqlite(Bff<SqliteStore, Defaults> store) : RestartTests<Bff<SqliteStore, Defaults>>(store);
public sealed class RestartTestsOnRedis(Bff<RedisStore, Defaults> store) : RestartTests<Bff<RedisStore, Defaults>>(store);
