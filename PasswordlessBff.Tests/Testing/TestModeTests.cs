using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Email;
using PasswordlessBff.Sessions;
using PasswordlessBff.Testing;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Scalekit;

namespace PasswordlessBff.Tests.Testing;

// The Testing environment with test mode on and its defaults: *@test.invalid, code 424242, link token test-link-token.
public sealed class TestMode : ISettingsProfile
{
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Testing:Enabled"] = "true",
        // Enough emails per mailbox that the wrong-code gate, not the email budget, is what a test meets.
        ["RateLimits:EmailsPerAddressPerMinute"] = "20",
    };

    public static string Environment => "Testing";
}

public static class TestAddress
{
    public static string Unique(string name = "suite") => $"{name}-{Guid.NewGuid():N}@test.invalid";
}

public abstract class TestModeTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task ATestAddressSignsInWithTheKnownCodeAndNoEmailIsComposed()
    {
        using var metrics = new MetricWatcher(factory.Services, EmailMetrics.MeterName);
        using var browser = factory.NewBrowser();
        var email = TestAddress.Unique();
        await browser.SendAsync(email, "/dashboard");

        var verified = await browser.VerifyCodeAsync(TestingOptions.DefaultCode);

        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        Assert.Equal(email, (await verified.Content.ReadFromJsonAsync<SessionResponse>())!.Email);
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        Assert.Equal(0, metrics.Total("passwordless.emails.queued"));
        Assert.Equal(0, factory.Smtp.CountFor(email));
    }

    [Fact]
    public async Task ATestAddressSignsInWithTheKnownLinkInTheBrowserThatAskedOnly()
    {
        using var browser = factory.NewBrowser();
        using var other = factory.NewBrowser();
        await browser.SendAsync(TestAddress.Unique(), "/after");
        await other.SendAsync(TestAddress.Unique());
        var link = $"{AuthApi.VerifyPath}?link_token={TestingOptions.DefaultLinkToken}";

        Expect.RedirectTo(await browser.GetAsync(link), "/after");
        await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        using var stranger = factory.NewBrowser();
        Expect.RedirectTo(await stranger.GetAsync(link), "/?error=browser_mismatch");
        Expect.RedirectTo(await other.GetAsync(link), "/");
    }

    [Fact]
    public async Task ANormalAddressInTheSameRunGetsItsEmailAndTheKnownCodeDoesNotWorkForIt()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("real");
        await browser.SendAsync(email);
        var mail = await factory.ReceiveMailAsync(email);
        var known = mail.Code == TestingOptions.DefaultCode ? Codes.Other(mail.Code) : TestingOptions.DefaultCode;

        await Expect.ProblemAsync(await browser.VerifyCodeAsync(known), HttpStatusCode.BadRequest, "credential_invalid");
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ResendWorksForATestAddressAndStillSendsNoEmail()
    {
        using var browser = factory.NewBrowser();
        var email = TestAddress.Unique();
        await browser.SendAsync(email);
        factory.Time.Advance(TimeSpan.FromSeconds(30));

        await Expect.StatusAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.OK);

        await Expect.StatusAsync(await browser.VerifyCodeAsync(TestingOptions.DefaultCode), HttpStatusCode.OK);
        Assert.Equal(0, factory.Smtp.CountFor(email));
    }

    // A wrong guess counts: the known code meets the attempt counter and the mailbox's wrong-code gate like any other.
    [Fact]
    public async Task TheKnownCodeStillMeetsTheWrongCodeGate()
    {
        var email = TestAddress.Unique("gate");
        for (var login = 0; login < 2; login++)
        {
            using var guesser = factory.NewBrowser();
            await guesser.SendAsync(email);
            for (var guess = 0; guess < 5; guess++)
            {
                await guesser.VerifyCodeAsync(Codes.Other(TestingOptions.DefaultCode));
            }
            await Expect.ProblemAsync(await guesser.VerifyCodeAsync(TestingOptions.DefaultCode), HttpStatusCode.TooManyRequests, "too_many_attempts");
        }
        using var browser = factory.NewBrowser();
        await browser.SendAsync(email);

        await Expect.ProblemAsync(await browser.VerifyCodeAsync(TestingOptions.DefaultCode), HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task TheOneCallSessionSignsInATestAddress()
    {
        using var browser = factory.NewBrowser();
        var email = TestAddress.Unique("one-call");

        var session = await browser.PostAsync(TestingApi.SessionPath, new { email });

        await Expect.StatusAsync(session, HttpStatusCode.OK);
        Assert.Equal(email, (await session.Content.ReadFromJsonAsync<SessionResponse>())!.Email);
        var me = await browser.GetAsync(SessionApi.MePath);
        await Expect.StatusAsync(me, HttpStatusCode.OK);
        Assert.Contains(email, await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOneCallSessionGivesTheSessionTheRolesTheSuiteAsksFor()
    {
        using var browser = factory.NewBrowser();

        string[] roles = ["admin", "support"];
        var session = await browser.PostAsync(TestingApi.SessionPath, new { email = TestAddress.Unique("admin"), roles });

        await Expect.StatusAsync(session, HttpStatusCode.OK);
        Assert.Equal(["admin", "support"], (await session.Content.ReadFromJsonAsync<SessionResponse>())!.Roles);
        var me = await (await browser.GetAsync(SessionApi.MePath)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("admin", me.GetProperty("roles")[0].GetString());
    }

    [Fact]
    public async Task TheOneCallSessionIsRefusedForANormalAddressAndNeedsTheCsrfHeader()
    {
        using var browser = factory.NewBrowser();

        var normal = await browser.PostAsync(TestingApi.SessionPath, new { email = Addresses.Unique() });
        var forged = await browser.PostAsync(TestingApi.SessionPath, new { email = TestAddress.Unique() }, csrf: false);

        await Expect.ProblemAsync(normal, HttpStatusCode.Forbidden, "test_address_required");
        await Expect.ProblemAsync(forged, HttpStatusCode.Forbidden, "csrf_header_missing");
        Assert.Null(browser.Cookie(SessionOptions.DefaultCookieName));
    }
}

public sealed class TestModeTestsOnSqlite(Bff<SqliteStore, TestMode> factory) : TestModeTests<Bff<SqliteStore, TestMode>>(factory);
public sealed class TestModeTestsOnRedis(Bff<RedisStore, TestMode> factory) : TestModeTests<Bff<RedisStore, TestMode>>(factory);

public sealed class TestModeTestsOnRedisCluster(Bff<RedisClusterStore, TestMode> factory) : TestModeTests<Bff<RedisClusterStore, TestMode>>(factory);

// With Scalekit, test addresses sign in through the built-in provider: no Scalekit call, no Scalekit account needed.
public sealed class TestModeScalekitFactory : ScalekitFactory
{
    public TestModeScalekitFactory() : base(new FakeScalekit(), new Dictionary<string, string?>(TestMode.Settings)) =>
        Environment = TestMode.Environment;
}

public sealed class TestModeTestsOnScalekit(TestModeScalekitFactory factory) : TestModeTests<TestModeScalekitFactory>(factory);

public sealed class TestAddressesWithScalekitTests(TestModeScalekitFactory factory) : IClassFixture<TestModeScalekitFactory>
{
    [Fact]
    public async Task ATestAddressNeverReachesScalekit()
    {
        using var browser = factory.NewBrowser();
        var sends = factory.Scalekit.Calls("send");
        await browser.SendAsync(TestAddress.Unique("no-upstream"));

        await Expect.StatusAsync(await browser.VerifyCodeAsync(TestingOptions.DefaultCode), HttpStatusCode.OK);
        Assert.Equal(sends, factory.Scalekit.Calls("send"));
    }
}
