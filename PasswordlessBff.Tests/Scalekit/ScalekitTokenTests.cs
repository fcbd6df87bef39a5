using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Scalekit;

public sealed class ScalekitTokenTests(ScalekitFactory factory) : IClassFixture<ScalekitFactory>
{
    private FakeScalekit Scalekit => factory.Scalekit;

    [Fact]
    public async Task OneAccessTokenServesManyCalls()
    {
        using var browser = factory.NewBrowser();
        await browser.SendAsync(Addresses.Unique());
        var tokens = Scalekit.Calls("token");

        await browser.SendAsync(Addresses.Unique());
        await browser.SendAsync(Addresses.Unique());
        await browser.PostAsync(AuthApi.ResendPath);

        Assert.Equal(tokens, Scalekit.Calls("token"));
    }

    [Fact]
    public async Task ExpiredAccessTokenIsReplacedByExactlyOneNewOne()
    {
        using var browser = factory.NewBrowser();
        await browser.SendAsync(Addresses.Unique());
        var tokens = Scalekit.Calls("token");
        var sends = Scalekit.Calls("send");

        factory.Time.Advance(TimeSpan.FromSeconds(Scalekit.TokenLifetimeSeconds));
        await browser.SendAsync(Addresses.Unique());
        await browser.SendAsync(Addresses.Unique());

        Assert.Equal(tokens + 1, Scalekit.Calls("token"));
        // Refreshed before use, so no call was refused on the way.
        Assert.Equal(sends + 2, Scalekit.Calls("send"));
    }

    [Fact]
    public async Task RevokedAccessTokenIsRefreshedOnceAndTheCallRetriedOnce()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(Addresses.Unique());
        var tokens = Scalekit.Calls("token");
        var sends = Scalekit.Calls("send");
        Scalekit.RevokeTokens();

        await browser.SendAsync(email);

        Assert.Equal(tokens + 1, Scalekit.Calls("token"));
        Assert.Equal(sends + 2, Scalekit.Calls("send"));
        Assert.Single(Scalekit.EmailsTo(email));
    }

    [Fact]
    public async Task ReadinessAsksTheTokenEndpoint()
    {
        using var browser = factory.NewBrowser();
        var tokens = Scalekit.Calls("token");

        var ready = await browser.GetAsync("/readyz");

        await Expect.StatusAsync(ready, HttpStatusCode.OK);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("scalekit", body, StringComparison.Ordinal);
        Assert.DoesNotContain("email", body, StringComparison.Ordinal);
        Assert.Equal(tokens + 1, Scalekit.Calls("token"));
    }
}
