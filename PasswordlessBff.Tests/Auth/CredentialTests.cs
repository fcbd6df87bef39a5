using System.Text;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.DependencyInjection;
using PasswordlessBff.Auth;
using PasswordlessBff.Passwordless.BuiltIn;
using PasswordlessBff.Storage;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public abstract class CredentialTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public void CodesAreSixRandomDigitsAndLinkTokensCarryAtLeast128Bits()
    {
        var codes = Enumerable.Range(0, 5000).Select(_ => CredentialGenerator.NewCode()).ToList();
        Assert.All(codes, code => Assert.Matches("^[0-9]{6}$", code));
        Assert.True(codes.Distinct().Count() > 4900);
        for (var position = 0; position < 6; position++)
        {
            Assert.Equal(10, codes.Select(code => code[position]).Distinct().Count());
        }
        var tokens = Enumerable.Range(0, 100).Select(_ => CredentialGenerator.NewLinkToken()).ToList();
        Assert.All(tokens, token => Assert.True(Base64UrlEncoder.DecodeBytes(token).Length >= 16));
        Assert.Equal(100, tokens.Distinct().Count());
    }

    [Fact]
    public async Task TheLinkTokenDoesNotDeriveFromTheCodeOrTheEmail()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.ResendPath), System.Net.HttpStatusCode.OK);
        var first = await LoginMail.ReceiveAsync(factory, email);
        var second = await LoginMail.ReceiveAsync(factory, email, nth: 2);

        Assert.NotEqual(first.LinkToken, second.LinkToken);
        var decoded = Base64UrlEncoder.DecodeBytes(first.LinkToken!);
        Assert.DoesNotContain(first.Code!, Encoding.Latin1.GetString(decoded), StringComparison.Ordinal);
        Assert.DoesNotContain(first.Code!, first.LinkToken!, StringComparison.Ordinal);
        Assert.DoesNotContain(email.Split('@')[0], first.LinkToken!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheStoreHoldsOnlyKeyedHashesOfCodesAndLinks()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var hashes = (await factory.LoginAsync(sent.AuthRequestId))!.Credentials.Select(c => c.Hash).ToList();
        Assert.Equal(2, hashes.Count);
        Assert.All(hashes, hash => Assert.Equal(32, hash.Length));
        var unkeyed = new[] { mail.Code!, mail.LinkToken! }.Select(v => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(v)));
        Assert.DoesNotContain(hashes, hash => unkeyed.Any(u => u.SequenceEqual(hash)));

        // Nothing the store holds (the database and its write-ahead log, or every Redis key) has the code or the token in clear.
        var contents = await factory.RawStoreContentsAsync();
        Assert.Contains(email.Split('@')[0], contents, StringComparison.Ordinal);
        Assert.DoesNotContain(mail.LinkToken!, contents, StringComparison.Ordinal);
        Assert.DoesNotContain(mail.Code!, contents, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueuedEmailJobHoldsNoCodeOrLinkTokenInClear()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var refusedBefore = factory.Smtp.Refused;
        factory.Smtp.DeferNext = 1;
        await browser.SendAsync(email);

        // The first attempt was deferred: the job waits in the store for its retry, on the fake clock.
        for (var i = 0; i < 200 && factory.Smtp.Refused == refusedBefore; i++)
        {
            await Task.Delay(20);
        }
        var jobs = factory.Services.GetRequiredService<IEmailJobStore>();
        Assert.Equal(1, (await jobs.StatsAsync(factory.Time.GetUtcNow(), CancellationToken.None)).Depth);
        var contents = await factory.RawStoreContentsAsync();
        var delivered = factory.Smtp.WaitForAsync(email);
        for (var i = 0; i < 200 && !delivered.IsCompleted; i++)
        {
            factory.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(delivered, Task.Delay(50));
        }
        var mail = LoginMail.From(await delivered);

        Assert.Contains(email.Split('@')[0], contents, StringComparison.Ordinal);
        Assert.DoesNotContain(mail.LinkToken!, contents, StringComparison.Ordinal);
        Assert.DoesNotContain(mail.Code!, contents, StringComparison.Ordinal);
    }
}

public sealed class CredentialTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : CredentialTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class CredentialTestsOnRedis(Bff<RedisStore, Defaults> factory) : CredentialTests<Bff<RedisStore, Defaults>>(factory);

public sealed class CredentialTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : CredentialTests<Bff<RedisClusterStore, Defaults>>(factory);
