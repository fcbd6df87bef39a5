using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Scalekit;

namespace PasswordlessBff.Tests.Policy;

// Scalekit behind the same policy: the lists before Scalekit is called, the verify hook through SignIn.
public sealed class ScalekitWithPolicyFactory() : ScalekitFactory(new FakeScalekit(), new Dictionary<string, string?>(PolicyHookServer.Shared.Settings())
{
    ["Policy:AllowedDomains:0"] = "example.com",
});

public sealed class ScalekitPolicyTests(ScalekitWithPolicyFactory factory) : IClassFixture<ScalekitWithPolicyFactory>
{
    [Fact]
    public async Task ARefusedAddressNeverReachesScalekitAndGetsTheAnswerOfAnAllowedOne()
    {
        using var allowedBrowser = factory.NewBrowser();
        using var refusedBrowser = factory.NewBrowser();
        var sendsBefore = factory.Scalekit.Calls("send");

        var allowed = await allowedBrowser.PostAsync(AuthApi.SendPath, new { email = Addresses.Unique("ok") });
        var refused = await refusedBrowser.PostAsync(AuthApi.SendPath, new { email = $"someone-{Guid.NewGuid():N}@elsewhere.test" });

        await PolicyKit.AnswersAlikeAsync(allowed, refused);
        Assert.Equal(sendsBefore + 1, factory.Scalekit.Calls("send"));
        var allowedId = (await PolicyKit.JsonAsync(allowed)).GetProperty("authRequestId").GetString()!;
        var refusedId = (await PolicyKit.JsonAsync(refused)).GetProperty("authRequestId").GetString()!;
        Assert.Equal(allowedId.Length, refusedId.Length);
        Assert.Equal(allowedId[..allowedId.LastIndexOf('_')], refusedId[..refusedId.LastIndexOf('_')]);
    }

    [Fact]
    public async Task TheVerifyHookNamesTheUserOfAScalekitSignInAndCanRefuseIt()
    {
        using var browser = factory.NewBrowser();
        using var refusedBrowser = factory.NewBrowser();
        var email = Addresses.Unique("sk-admin");
        var refused = Addresses.Unique("sk-refused");
        PolicyHookServer.Shared.Answer(email, HookReply.Allow("u_sk", ["admin"]));
        PolicyHookServer.Shared.Answer(refused, HookReply.Deny());

        var (verified, _) = await PolicyKit.SignInAsync(factory, browser, email);
        var (denied, _) = await PolicyKit.SignInAsync(factory, refusedBrowser, refused);

        Assert.Equal("u_sk", (await PolicyKit.JsonAsync(verified)).GetProperty("userId").GetString());
        Assert.Equal("admin", (await PolicyKit.JsonAsync(await browser.GetAsync(SessionApi.MePath))).GetProperty("roles")[0].GetString());
        await Expect.ProblemAsync(denied, HttpStatusCode.Forbidden, "sign_in_not_allowed");
        // Scalekit mails itself, inside the request: signin.send is not called for it (docs/POLICY.md).
        Assert.Empty(PolicyHookServer.Shared.CallsFor(email, "signin.send"));
    }
}
