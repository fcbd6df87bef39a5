using Microsoft.Extensions.Options;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Scalekit;

public sealed class ScalekitStartupTests
{
    [Theory]
    [InlineData("SCALEKIT_ENVIRONMENT_URL")]
    [InlineData("SCALEKIT_CLIENT_ID")]
    [InlineData("SCALEKIT_CLIENT_SECRET")]
    public async Task MissingSettingStopsStartUpAndIsNamed(string setting)
    {
        var error = await StartupFailure.OfAsync(() => new ScalekitFactory(new FakeScalekit(), new Dictionary<string, string?> { [setting] = "" }));

        Assert.Contains(nameof(OptionsValidationException), error, StringComparison.Ordinal);
        Assert.Contains(setting, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpOutsideLoopbackIsRefused()
    {
        // StartupFailure retries a host that the load made report itself disposed instead of its error.
        var error = await StartupFailure.OfAsync(() => new ScalekitFactory(new FakeScalekit(),
            new Dictionary<string, string?> { ["SCALEKIT_ENVIRONMENT_URL"] = "http://scalekit.example" }));

        Assert.Contains(nameof(OptionsValidationException), error, StringComparison.Ordinal);
        Assert.Contains("https", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScalekitSectionWorksAsWellAsTheScalekitNames()
    {
        await using var factory = new ScalekitFactory(new FakeScalekit(), new Dictionary<string, string?>
        {
            ["SCALEKIT_CLIENT_ID"] = null,
            ["Scalekit:ClientId"] = FakeScalekit.ClientId,
        });

        using var client = factory.CreateClient();
        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }
}
