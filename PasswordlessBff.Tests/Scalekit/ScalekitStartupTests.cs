using Microsoft.Extensions.Options;

namespace PasswordlessBff.Tests.Scalekit;

public sealed class ScalekitStartupTests
{
    [Theory]
    [InlineData("SCALEKIT_ENVIRONMENT_URL")]
    [InlineData("SCALEKIT_CLIENT_ID")]
    [InlineData("SCALEKIT_CLIENT_SECRET")]
    public async Task MissingSettingStopsStartUpAndIsNamed(string setting)
    {
        await using var factory = new ScalekitFactory(new FakeScalekit(), new Dictionary<string, string?> { [setting] = "" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpOutsideLoopbackIsRefused()
    {
        await using var factory = new ScalekitFactory(new FakeScalekit(),
            new Dictionary<string, string?> { ["SCALEKIT_ENVIRONMENT_URL"] = "http://scalekit.example" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("https", error.Message, StringComparison.Ordinal);
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
