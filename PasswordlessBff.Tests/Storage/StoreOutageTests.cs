using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Storage;

public abstract class StoreOutageTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task WithTheStoreGoneVerificationAndTheSessionFilterFailClosedWith503AndRecover()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        using var signedIn = factory.NewBrowser();
        var other = Addresses.Unique();
        await signedIn.SendAsync(other);
        await Expect.StatusAsync(await signedIn.VerifyCodeAsync((await LoginMail.ReceiveAsync(factory, other)).Code!), HttpStatusCode.OK);
        await Expect.StatusAsync(await signedIn.GetAsync(SessionApi.MePath), HttpStatusCode.OK);

        await factory.TakeStoreAwayAsync();
        try
        {
            // Readiness notices first; from then on nothing may answer from what it remembers.
            await Eventually.StatusAsync(() => browser.GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5));
            await Expect.ProblemAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
            await Expect.ProblemAsync(await signedIn.GetAsync(SessionApi.MePath), HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
            await Expect.ProblemAsync(await signedIn.GetAsync(SessionApi.SessionPath), HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
            await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique() }), HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await browser.GetAsync("/readyz")).StatusCode);
        }
        finally
        {
            await factory.BringStoreBackAsync();
        }

        // Back by itself: nothing was consumed while the store was away.
        await Eventually.StatusAsync(() => signedIn.GetAsync(SessionApi.MePath), HttpStatusCode.OK, TimeSpan.FromSeconds(15));
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
        await Expect.StatusAsync(await browser.GetAsync("/readyz"), HttpStatusCode.OK);
    }
}

public sealed class StoreOutageTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : StoreOutageTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class StoreOutageTestsOnRedis(Bff<OwnRedisStore, Defaults> factory) : StoreOutageTests<Bff<OwnRedisStore, Defaults>>(factory);
