using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Scalekit;

public sealed class ScalekitSameBrowserOffTests(ScalekitLooseBrowserFactory factory) : IClassFixture<ScalekitLooseBrowserFactory>
{
    private FakeScalekit Scalekit => factory.Scalekit;

    [Fact]
    public async Task LinkInAnotherBrowserShowsConfirmationThenSignsInOnPost()
    {
        using var starter = factory.NewBrowser();
        using var phone = factory.NewBrowser();
        var email = Addresses.Unique("phone");
        await starter.SendAsync(email);
        var mail = Scalekit.LastEmailTo(email);
        var verifies = Scalekit.Calls("verify");

        var page = await phone.OpenLinkAsync(mail.Link!);
        await Expect.StatusAsync(page, HttpStatusCode.OK);
        Assert.Equal(verifies, Scalekit.Calls("verify"));

        var confirmed = await phone.PostAsync(AuthApi.VerifyPath, new { linkToken = mail.LinkToken });

        await Expect.StatusAsync(confirmed, HttpStatusCode.OK);
        Assert.Equal(email, (await confirmed.Content.ReadFromJsonAsync<SessionResponse>())!.Email);
        Assert.Equal(verifies + 1, Scalekit.Calls("verify"));
    }

    [Fact]
    public async Task ScalekitStillEnforcingTheSameBrowserPointsToTheCode()
    {
        using var starter = factory.NewBrowser();
        using var phone = factory.NewBrowser();
        var email = Addresses.Unique("strict");
        await starter.SendAsync(email);
        var mail = Scalekit.LastEmailTo(email);
        Scalekit.EnforceSameBrowser = true;
        try
        {
            var confirmed = await phone.PostAsync(AuthApi.VerifyPath, new { linkToken = mail.LinkToken });

            await Expect.ProblemAsync(confirmed, HttpStatusCode.BadRequest, "browser_mismatch");
        }
        finally
        {
            Scalekit.EnforceSameBrowser = false;
        }
        // The code from the same email still completes the login in the browser that started it.
        await Expect.StatusAsync(await starter.VerifyCodeAsync(mail.Code), HttpStatusCode.OK);
    }
}
