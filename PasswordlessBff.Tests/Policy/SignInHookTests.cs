using System.Diagnostics;
using System.Net;
using System.Text.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Policy;

// The team's hook decides who signs in and which user they are: the real hook server verifies every signature.
public abstract class SignInHookTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    private static PolicyHookServer Hook => PolicyHookServer.Shared;

    [Fact]
    public async Task AnAllowWithRolesPutsTheHooksUserIdRolesAndClaimsInTheSessionMeAndThePrincipal()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("allowed");
        Hook.Answer(email, HookReply.Allow("u_1234", ["admin", "billing"], new() { ["tenant"] = "t_9", ["seats"] = 12 }));

        var (verified, _) = await PolicyKit.SignInAsync(factory, browser, email);

        var session = await PolicyKit.JsonAsync(verified);
        Assert.Equal("u_1234", session.GetProperty("userId").GetString());
        Assert.Equal(["admin", "billing"], session.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var polled = await PolicyKit.JsonAsync(await browser.GetAsync(SessionApi.SessionPath));
        Assert.Equal("u_1234", polled.GetProperty("userId").GetString());
        var me = await PolicyKit.JsonAsync(await browser.GetAsync(SessionApi.MePath));
        Assert.Equal("u_1234", me.GetProperty("userId").GetString());
        Assert.Equal(["admin", "billing"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var claims = (await PolicyKit.JsonAsync(await browser.GetAsync(WithHook.PrincipalPath))).EnumerateArray()
            .Select(c => (c[0].GetString(), c[1].GetString())).ToList();
        Assert.Contains(("sub", "u_1234"), claims);
        Assert.Contains(("email", email), claims);
        Assert.Contains(("role", "admin"), claims);
        Assert.Contains(("role", "billing"), claims);
        Assert.Contains(("tenant", "t_9"), claims);
        Assert.Contains(("seats", "12"), claims);
        Assert.Single(claims, c => c.Item1 == "sid");
    }

    [Fact]
    public async Task ARoleProtectedRouteAnswers200WithTheRoleAnd403ForbiddenWithout()
    {
        using var admin = factory.NewBrowser();
        using var member = factory.NewBrowser();
        var adminEmail = Addresses.Unique("admin");
        var memberEmail = Addresses.Unique("member");
        Hook.Answer(adminEmail, HookReply.Allow("u_admin", ["admin"]));
        Hook.Answer(memberEmail, HookReply.Allow("u_member", ["viewer"]));
        await Expect.StatusAsync((await PolicyKit.SignInAsync(factory, admin, adminEmail)).Verified, HttpStatusCode.OK);
        await Expect.StatusAsync((await PolicyKit.SignInAsync(factory, member, memberEmail)).Verified, HttpStatusCode.OK);

        await Expect.StatusAsync(await admin.GetAsync(WithHook.AdminOnlyPath), HttpStatusCode.OK);
        await Expect.ProblemAsync(await member.GetAsync(WithHook.AdminOnlyPath), HttpStatusCode.Forbidden, "forbidden");
        using var nobody = factory.NewBrowser();
        await Expect.ProblemAsync(await nobody.GetAsync(WithHook.AdminOnlyPath), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task TheHookReceivesBothEventsSignedAndWithWhatItNeedsToDecide()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("fields");
        var unverifiedBefore = Hook.Unverified;

        await Expect.StatusAsync((await PolicyKit.SignInAsync(factory, browser, email)).Verified, HttpStatusCode.OK);

        var send = await Hook.WaitForAsync(email, "signin.send");
        var verify = await Hook.WaitForAsync(email, "signin.verify");
        foreach (var call in new[] { send, verify })
        {
            Assert.Equal("signin", call.Field("template"));
            Assert.Equal("from-test", call.Field("state"));
            Assert.Equal("en", call.Field("locale"));
            Assert.Equal("PolicyTests/1.0", call.Field("userAgent"));
            Assert.True(call.Data.TryGetProperty("clientAddress", out _));
            Assert.StartsWith("msg_", call.MessageId, StringComparison.Ordinal);
        }
        Assert.NotEqual(send.MessageId, verify.MessageId);
        Assert.Equal(unverifiedBefore, Hook.Unverified);
    }

    [Fact]
    public async Task ADenyAtSendAnswersExactlyLikeAnAllowAndNoEmailGoesOut()
    {
        using var allowedBrowser = factory.NewBrowser();
        using var deniedBrowser = factory.NewBrowser();
        var allowed = Addresses.Unique("ok");
        var denied = Addresses.Unique("nope");
        Hook.Answer(denied, HookReply.Deny());

        var deniedAnswer = await deniedBrowser.PostAsync(AuthApi.SendPath, new { email = denied });
        var allowedAnswer = await allowedBrowser.PostAsync(AuthApi.SendPath, new { email = allowed });

        await PolicyKit.AnswersAlikeAsync(allowedAnswer, deniedAnswer);
        await factory.ReceiveMailAsync(allowed);
        await Hook.WaitForAsync(denied, "signin.send");
        await PolicyKit.WaitForSendRefusalAsync(factory, denied);
        Assert.Equal(0, factory.Smtp.CountFor(denied));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    public async Task AHookErrorAtSendMeansNoEmail(int status)
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("error");
        Hook.Answer(email, HookReply.Raw("""{"decision":"allow"}""", status));

        await browser.SendAsync(email);

        await PolicyKit.WaitForSendRefusalAsync(factory, email);
        Assert.Equal(0, factory.Smtp.CountFor(email));
    }

    [Fact]
    public async Task ADenyAtVerifyIs403SignInNotAllowedWithNoSessionAndTheLoginEnds()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("late-deny");
        Hook.Answer(email, call => call.Type == "signin.verify" ? HookReply.Deny() : HookReply.Allow());

        var (verified, mail) = await PolicyKit.SignInAsync(factory, browser, email);

        await Expect.ProblemAsync(verified, HttpStatusCode.Forbidden, "sign_in_not_allowed");
        Assert.Null(browser.Cookie(SessionOptions.DefaultCookieName));
        Assert.Equal(0, await factory.CountSessionsAsync(email));
        Hook.Answer(email, HookReply.Allow());
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.BadRequest, "auth_request_invalid");
    }

    [Fact]
    public async Task ADenyAtVerifyByLinkLandsOnTheLoginPageWithSignInNotAllowed()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("link-deny");
        Hook.Answer(email, call => call.Type == "signin.verify" ? HookReply.Deny() : HookReply.Allow());
        await browser.SendAsync(email);
        var mail = await factory.ReceiveMailAsync(email);

        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), "/?error=sign_in_not_allowed");
        Assert.Null(browser.Cookie(SessionOptions.DefaultCookieName));
    }

    [Fact]
    public async Task WithTheHookUnreachableAtVerifyTheCodeIs503AndTheSameCodeSignsInOnceItAnswers()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("down");
        Hook.Answer(email, call => call.Type == "signin.verify" ? HookReply.Unreachable() : HookReply.Allow());

        var (verified, mail) = await PolicyKit.SignInAsync(factory, browser, email);

        await Expect.ProblemAsync(verified, HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
        Assert.Null(browser.Cookie(SessionOptions.DefaultCookieName));
        Hook.Answer(email, HookReply.Allow("u_back", ["admin"]));
        var again = await PolicyKit.JsonAsync(await browser.VerifyCodeAsync(mail.Code!));
        Assert.Equal("u_back", again.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task AHookSlowerThanTheTimeoutIs503AtTheTimeoutAndTheLoginStaysUsable()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("slow");
        Hook.Answer(email, call => call.Type == "signin.verify" ? HookReply.Slow(TimeSpan.FromSeconds(30)) : HookReply.Allow());
        await browser.PostAsync(AuthApi.SendPath, new { email });
        var mail = await factory.ReceiveMailAsync(email);
        var clock = Stopwatch.StartNew();

        var verifying = browser.VerifyCodeAsync(mail.Code!);
        await Hook.WaitForAsync(email, "signin.verify");
        factory.Time.Advance(TimeSpan.FromMilliseconds(WithHook.TimeoutMilliseconds - 1));
        await Task.Delay(100);
        Assert.False(verifying.IsCompleted, "the hook call ended before its timeout");
        factory.Time.Advance(TimeSpan.FromMilliseconds(1));

        await Expect.ProblemAsync(await verifying, HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the verify answer waited for the slow hook");
        Hook.Answer(email, HookReply.Allow());
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(PolicyKit.MalformedAnswers), MemberType = typeof(PolicyKit))]
    public async Task AMalformedAnswerAtVerifyIs503AndTheLoginStaysUsable(string answer)
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("malformed");
        Hook.Answer(email, call => call.Type == "signin.verify" ? HookReply.Raw(answer) : HookReply.Allow());

        var (verified, mail) = await PolicyKit.SignInAsync(factory, browser, email);

        await Expect.ProblemAsync(verified, HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
        Hook.Answer(email, HookReply.Allow());
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }
}

public sealed class SignInHookTestsOnSqlite(Bff<SqliteStore, WithHook> factory) : SignInHookTests<Bff<SqliteStore, WithHook>>(factory);
public sealed class SignInHookTestsOnRedis(Bff<RedisStore, WithHook> factory) : SignInHookTests<Bff<RedisStore, WithHook>>(factory);

public sealed class SignInHookTestsOnRedisCluster(Bff<RedisClusterStore, WithHook> factory)
    : SignInHookTests<Bff<RedisClusterStore, WithHook>>(factory);
