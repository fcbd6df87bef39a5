using System.Net;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Policy;

// The hook process itself goes away (its port refuses connections) and comes back.
public sealed class HookOutageTests
{
    [Fact]
    public async Task WithTheHookDownAtVerifyTheCodeIs503AndTheSameCodeSignsInOnceItIsBackUp()
    {
        await using var hook = new PolicyHookServer();
        await using var factory = new BffFactory(hook.Settings());
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("outage");
        await browser.SendAsync(email);
        var mail = await factory.ReceiveMailAsync(email);

        await hook.StopAsync();
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.ServiceUnavailable, "upstream_unavailable");
        hook.Start();

        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task WithTheHookDownAtSendNoEmailGoesOutAndTheAnswerIsUnchanged()
    {
        await using var hook = new PolicyHookServer();
        await using var factory = new BffFactory(hook.Settings());
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("outage-send");
        await hook.StopAsync();

        await browser.SendAsync(email);

        await PolicyKit.WaitForSendRefusalAsync(factory, email);
        Assert.Equal(0, factory.Smtp.CountFor(email));
    }
}
