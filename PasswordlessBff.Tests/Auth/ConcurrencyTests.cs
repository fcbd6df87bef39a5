using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public abstract class ConcurrencyTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    private const int Parallel = 50;

    [Fact]
    public async Task FiftyConcurrentVerificationsOfOneCodeYieldExactlyOneSession()
    {
        using var starter = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await starter.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var browsers = Enumerable.Range(0, Parallel).Select(_ => factory.NewBrowser()).ToList();
        var responses = await Task.WhenAll(browsers.Select(b => b.VerifyCodeAsync(mail.Code!, sent.AuthRequestId)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(1, await factory.CountSessionsAsync(email));
        browsers.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task EveryLoserOfARaceForOneCodeHearsTheLoginIsFinished()
    {
        using var starter = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await starter.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var browsers = Enumerable.Range(0, Parallel).Select(_ => factory.NewBrowser()).ToList();
        var responses = await Task.WhenAll(browsers.Select(b => b.VerifyCodeAsync(mail.Code!, sent.AuthRequestId)));

        var losers = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(Parallel - 1, losers.Count);
        foreach (var loser in losers)
        {
            await Expect.ProblemAsync(loser, HttpStatusCode.BadRequest, "auth_request_invalid");
        }
        browsers.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task FiftyConcurrentVerificationsOfOneLinkYieldExactlyOneSession()
    {
        using var starter = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await starter.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        // Tabs of the browser that asked: the link completes only where the binding cookie is.
        var browsers = Enumerable.Range(0, Parallel).Select(_ => new Browser(factory, starter.Cookies)).ToList();
        var responses = await Task.WhenAll(browsers.Select(b =>
            b.PostAsync(AuthApi.VerifyPath, new { linkToken = mail.LinkToken, authRequestId = sent.AuthRequestId })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(1, await factory.CountSessionsAsync(email));
        browsers.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task ConcurrentWrongCodesNeverAllowMoreThanFiveGuesses()
    {
        using var starter = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await starter.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        var wrong = Codes.Other(mail.Code!);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => starter.VerifyCodeAsync(wrong, sent.AuthRequestId)));
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        await Expect.ProblemAsync(await starter.VerifyCodeAsync(mail.Code!), HttpStatusCode.TooManyRequests, "too_many_attempts");
    }
}

public sealed class ConcurrencyTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : ConcurrencyTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class ConcurrencyTestsOnRedis(Bff<RedisStore, Defaults> factory) : ConcurrencyTests<Bff<RedisStore, Defaults>>(factory);

public sealed class ConcurrencyTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : ConcurrencyTests<Bff<RedisClusterStore, Defaults>>(factory);
