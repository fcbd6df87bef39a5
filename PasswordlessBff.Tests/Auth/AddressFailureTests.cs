using System.Net;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

// SECURITY.md item 6: wrong codes for one address, across its logins, meet escalating delays after 10 and a
// lock at 100 until the hour that began with the first failure is over.
public abstract class AddressFailureTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    private static readonly TimeSpan PastTheEmailLimit = TimeSpan.FromSeconds(31);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AfterTenWrongCodesForAnAddressEachGuessWaitsAnEscalatingDelayAnsweredAs429WithRetryAfter()
    {
        var address = new Address(factory, Addresses.Unique("delays"));
        await address.FailAsync(10);
        factory.Time.Advance(PastTheEmailLimit);
        var login = await address.StartLoginAsync();

        await Expect.ProblemAsync(await login.WrongAsync(), HttpStatusCode.BadRequest, "credential_invalid");
        await ExpectWaitAsync(await login.RightAsync(), seconds: 2);
        factory.Time.Advance(TimeSpan.FromSeconds(2));
        await Expect.ProblemAsync(await login.WrongAsync(), HttpStatusCode.BadRequest, "credential_invalid");
        await ExpectWaitAsync(await login.WrongAsync(), seconds: 4);
        factory.Time.Advance(TimeSpan.FromSeconds(4));

        // The refused guesses cost the login nothing: two real failures, so the right code still signs in.
        await Expect.StatusAsync(await login.RightAsync(), HttpStatusCode.OK);

        // A sign-in proves the mailbox: the address starts afresh.
        factory.Time.Advance(PastTheEmailLimit);
        var next = await address.StartLoginAsync();
        await Expect.ProblemAsync(await next.WrongAsync(), HttpStatusCode.BadRequest, "credential_invalid");
        await Expect.ProblemAsync(await next.WrongAsync(), HttpStatusCode.BadRequest, "credential_invalid");
    }

    [Fact]
    public async Task WhileDelaysApplyOfManyConcurrentGuessesOnlyOneIsChecked()
    {
        var address = new Address(factory, Addresses.Unique("concurrent-guesses"));
        await address.FailAsync(10);
        factory.Time.Advance(PastTheEmailLimit);
        var login = await address.StartLoginAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => login.WrongAsync()));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.BadRequest);
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task AfterOneHundredWrongCodesTheAddressIsLockedUntilTheWindowEndsEvenForTheRightCode()
    {
        var address = new Address(factory, Addresses.Unique("lock"));
        var windowStart = factory.Time.GetUtcNow() + PastTheEmailLimit;
        await address.FailAsync(100, beforeEachGuess: failures => failures >= 10 ? LongestDelay : TimeSpan.Zero);
        Assert.True(factory.Time.GetUtcNow() - windowStart < TimeSpan.FromHours(1), "the test must reach 100 failures inside the window");

        factory.Time.Advance(PastTheEmailLimit);
        var login = await address.StartLoginAsync();
        factory.Time.Advance(LongestDelay);
        var locked = await login.RightAsync();

        var retryAfter = await ExpectWaitAsync(locked);
        var windowLeft = windowStart + TimeSpan.FromHours(1) - factory.Time.GetUtcNow();
        Assert.InRange((retryAfter - windowLeft).TotalSeconds, -1, 1);
        factory.Time.Advance(retryAfter);
        var afterTheWindow = await address.StartLoginAsync();
        await Expect.StatusAsync(await afterTheWindow.RightAsync(), HttpStatusCode.OK);
    }

    private static async Task<TimeSpan> ExpectWaitAsync(HttpResponseMessage response, int? seconds = null)
    {
        var problem = await Expect.ProblemAsync(response, HttpStatusCode.TooManyRequests, "rate_limited");
        var wait = response.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");
        Assert.Equal((int)wait.TotalSeconds, problem.GetProperty("retryAfter").GetInt32());
        if (seconds is { } expected)
        {
            Assert.Equal(TimeSpan.FromSeconds(expected), wait);
        }
        return wait;
    }

    // One email address and the logins started for it, in one browser.
    private sealed class Address(BffFactory factory, string email)
    {
        private readonly Browser _browser = factory.NewBrowser();
        private int _emails;

        public async Task<Login> StartLoginAsync()
        {
            await _browser.SendAsync(email);
            var mail = await LoginMail.ReceiveAsync(factory, email, ++_emails);
            return new Login(_browser, mail.Code!);
        }

        // Wrong codes, five per login (the most a login takes), until the address has this many failures.
        public async Task FailAsync(int count, Func<int, TimeSpan>? beforeEachGuess = null)
        {
            for (var failures = 0; failures < count;)
            {
                factory.Time.Advance(PastTheEmailLimit);
                var login = await StartLoginAsync();
                for (var attempt = 0; attempt < 5 && failures < count; attempt++, failures++)
                {
                    factory.Time.Advance(beforeEachGuess?.Invoke(failures) ?? TimeSpan.Zero);
                    var answer = await login.WrongAsync();
                    Assert.True(answer.StatusCode is HttpStatusCode.BadRequest || (attempt == 4 && answer.StatusCode is HttpStatusCode.TooManyRequests),
                        $"failure {failures + 1} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
                }
            }
        }
    }

    private sealed record Login(Browser Browser, string Code)
    {
        public Task<HttpResponseMessage> WrongAsync() => Browser.VerifyCodeAsync(Codes.Other(Code));

        public Task<HttpResponseMessage> RightAsync() => Browser.VerifyCodeAsync(Code);
    }
}

public sealed class AddressFailureTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : AddressFailureTests<Bff<SqliteStore, Defaults>>(factory);
public sealed class AddressFailureTestsOnRedis(Bff<RedisStore, Defaults> factory) : AddressFailureTests<Bff<RedisStore, Defaults>>(factory);

public sealed class AddressFailureTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : AddressFailureTests<Bff<RedisClusterStore, Defaults>>(factory);
