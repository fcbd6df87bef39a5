using PasswordlessBff.Proxy;
using PasswordlessBff.Storage;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Proxy;

public sealed class ProxySettingsTests
{
    [Theory]
    [InlineData("ReverseProxy:Routes:r:AuthorizationPolicy", "admins", "ReverseProxy__Routes__r__AuthorizationPolicy")]
    [InlineData("ReverseProxy:Routes:r:Metadata:Audience", " ", "ReverseProxy__Routes__r__Metadata__Audience")]
    [InlineData("ReverseProxy:Routes:r:Match:Path", "/api/auth/{**rest}", "ReverseProxy__Routes__r__Match__Path")]
    [InlineData("Proxy:SigningKeys:0", "not a pem", "Proxy__SigningKeys__0")]
    [InlineData("Proxy:TokenLifetimeSeconds", "600", "Proxy__TokenLifetimeSeconds")]
    [InlineData("Proxy:KeyRotationHours", "1", "Proxy__KeyRotationHours")]
    public async Task StartUpRefusesABadProxySettingByName(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReverseProxy:Routes:r:ClusterId"] = "c",
            ["ReverseProxy:Routes:r:Match:Path"] = "/orders/{**rest}",
            ["ReverseProxy:Clusters:c:Destinations:d:Address"] = "http://127.0.0.1:9",
            [key] = value,
        };

        var error = await StartupFailure.OfAsync(() => new BffFactory(settings));

        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnonymousRouteMayNotAskForARole()
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(new Dictionary<string, string?>
        {
            ["ReverseProxy:Routes:r:ClusterId"] = "c",
            ["ReverseProxy:Routes:r:Match:Path"] = "/orders/{**rest}",
            ["ReverseProxy:Routes:r:AuthorizationPolicy"] = "Anonymous",
            ["ReverseProxy:Routes:r:Metadata:Roles"] = "admin",
            ["ReverseProxy:Clusters:c:Destinations:d:Address"] = "http://127.0.0.1:9",
        }));

        Assert.Contains("ReverseProxy__Routes__r__Metadata__Roles", error, StringComparison.Ordinal);
    }
}

// The schedule on its own, on a plain clock: always a next key, published a period ahead; retired keys kept just long enough.
public sealed class RotationScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);

    private static StoredSigningKey Key(int generation, DateTimeOffset activatesAt) => new(generation, $"k{generation}", "", Start, activatesAt);

    [Fact]
    public void AnEmptyStoreGetsAKeyThatSignsNowAndTheNextOneAPeriodAhead()
    {
        var plan = RotationSchedule.For([], Start, Period);

        Assert.Equal([(1, Start), (2, Start + Period)], plan.Add);
    }

    [Fact]
    public void WhenTheNextKeyTakesOverANewNextKeyIsPublishedAPeriodBeforeItSigns()
    {
        var keys = new[] { Key(1, Start), Key(2, Start + Period) };

        Assert.True(RotationSchedule.For(keys, Start + Period - TimeSpan.FromSeconds(1), Period).IsEmpty);
        var plan = RotationSchedule.For(keys, Start + Period, Period);

        Assert.Equal([(3, Start + 2 * Period)], plan.Add);
        Assert.Equal("k2", RotationSchedule.Signing(keys, Start + Period).KeyId);
    }

    [Fact]
    public void AfterALongOutageTheNextKeyIsStillPublishedHalfAPeriodBeforeItSigns()
    {
        var keys = new[] { Key(1, Start), Key(2, Start + Period) };
        var now = Start + 3 * Period;

        Assert.Equal([(3, now + Period / 2)], RotationSchedule.For(keys, now, Period).Add);
    }

    [Fact]
    public void ARetiredKeyLeavesOnlyOnceItsLastTokenHasExpired()
    {
        var keys = new[] { Key(1, Start), Key(2, Start + Period), Key(3, Start + 2 * Period) };
        var retires = Start + Period + RotationSchedule.RetiredKeyKept;

        Assert.Empty(RotationSchedule.For(keys, retires - TimeSpan.FromSeconds(1), Period).Remove);
        Assert.Equal([1], RotationSchedule.For(keys, retires, Period).Remove);
        Assert.True(RotationSchedule.RetiredKeyKept >= TimeSpan.FromMinutes(ProxyOptions.MaxTokenLifetimeSeconds / 60 + 5));
    }
}
