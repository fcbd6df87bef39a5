using System.Net;
using Microsoft.Data.Sqlite;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Storage;

public sealed class StoreOutageTests
{
    [Fact]
    public async Task WithTheStoreGoneVerificationAndTheSessionFilterFailClosedWith503AndRecover()
    {
        await using var factory = new BffFactory(new Dictionary<string, string?>());
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        using var signedIn = factory.NewBrowser();
        var other = Addresses.Unique();
        await signedIn.SendAsync(other);
        await Expect.StatusAsync(await signedIn.VerifyCodeAsync((await LoginMail.ReceiveAsync(factory, other)).Code!), HttpStatusCode.OK);

        // Take the database away: pooled connections closed, the file replaced by a directory nothing can open.
        SqliteConnection.ClearAllPools();
        var aside = factory.DatabasePath + ".aside";
        MoveDatabase(factory.DatabasePath, aside);
        Directory.CreateDirectory(factory.DatabasePath);
        try
        {
            await Expect.ProblemAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
            await Expect.ProblemAsync(await signedIn.GetAsync("/api/me"), HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
            await Expect.ProblemAsync(await signedIn.GetAsync("/api/auth/session"), HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await browser.GetAsync("/readyz")).StatusCode);
        }
        finally
        {
            Directory.Delete(factory.DatabasePath);
            MoveDatabase(aside, factory.DatabasePath);
        }

        // Back by itself: nothing was consumed while the store was away.
        await Expect.StatusAsync(await signedIn.GetAsync("/api/me"), HttpStatusCode.OK);
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }

    private static readonly string[] Files = ["", "-wal", "-shm"];

    private static void MoveDatabase(string from, string to)
    {
        foreach (var suffix in Files.Where(suffix => File.Exists(from + suffix)))
        {
            File.Move(from + suffix, to + suffix);
        }
    }
}
