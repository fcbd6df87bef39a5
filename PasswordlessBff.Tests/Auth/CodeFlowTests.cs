using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public sealed class CodeFlowTests(BffFactory factory) : IClassFixture<BffFactory>
{
    [Fact]
    public async Task SendThenCodeSignsInAndSessionAnswers()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("ada");
        var sent = await browser.SendAsync(email, "/dashboard");
        Assert.Equal("LINK_OTP", sent.PasswordlessType);
        Assert.Equal(300, sent.ExpiresIn);
        Assert.Equal(30, sent.ResendAfter);

        var mail = await LoginMail.ReceiveAsync(factory, email);
        var verified = await browser.VerifyCodeAsync(mail.Code!);
        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        var session = (await verified.Content.ReadFromJsonAsync<SessionResponse>())!;
        Assert.Equal(email, session.Email);
        Assert.Equal("/dashboard", session.ReturnTo);
        Assert.Equal(12 * 3600, session.ExpiresIn);

        var me = await browser.GetAsync("/api/me");
        await Expect.StatusAsync(me, HttpStatusCode.OK);
        Assert.Contains(email, await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
