using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using PasswordlessBff.Proxy;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Testing;

namespace PasswordlessBff.Tests.Proxy;

// Its own host: these tests move the clock by weeks.
public sealed class RotationFixture : ProxyFixture;

public sealed class KeyRotationProxyTests(RotationFixture fixture) : IClassFixture<RotationFixture>
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);

    [Fact]
    public async Task TokensStayValidAcrossARotationBecauseTheNextKeyIsPublishedBeforeItSigns()
    {
        using var metadata = fixture.NewClient();
        var before = await KeyIdsAsync(metadata);
        using var first = await fixture.SignedInAsync(TestAddress.Unique("rotation"));
        var signedFirst = await first.EchoAsync(HttpMethod.Get, "/orders/1");
        Assert.True(signedFirst.Authenticated, signedFirst.Failure);
        Assert.Equal(2, before.Count);
        Assert.Equal(before[0], signedFirst.Kid);

        // Just before the next key takes over (a new session: the first one's absolute lifetime is long gone).
        fixture.Bff.Time.Advance(Period - TimeSpan.FromMinutes(2));
        using var second = await fixture.SignedInAsync(TestAddress.Unique("rotation"));
        var lastOfTheOldKey = await second.EchoAsync(HttpMethod.Get, "/orders/1");
        Assert.Equal(before[0], lastOfTheOldKey.Kid);

        fixture.Bff.Time.Advance(TimeSpan.FromMinutes(3));
        using var third = await fixture.SignedInAsync(TestAddress.Unique("rotation"));
        var firstOfTheNewKey = await third.EchoAsync(HttpMethod.Get, "/orders/1");
        var oldTokenAfterRotation = await BackendDirectlyAsync(lastOfTheOldKey.Authorization!);

        // The backend never refreshes on an unknown kid: it knew the new key from the JWKS it read before the rotation.
        Assert.True(firstOfTheNewKey.Authenticated, firstOfTheNewKey.Failure);
        Assert.Equal(before[1], firstOfTheNewKey.Kid);
        Assert.True(oldTokenAfterRotation.Authenticated, oldTokenAfterRotation.Failure);
        var during = await KeyIdsAsync(metadata);
        Assert.Equal(3, during.Count);
        Assert.Equal(before, during.Take(2));

        // Once the old key's last token has expired (plus the backends' clock skew), it leaves the JWKS.
        fixture.Bff.Time.Advance(RotationSchedule.RetiredKeyKept);
        var after = await KeyIdsAsync(metadata);
        Assert.Equal(during.Skip(1), after);
    }

    private async Task<BackendEcho> BackendDirectlyAsync(string authorization)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Backend.Port}") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/direct");
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        using var response = await http.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<BackendEcho>())!;
    }

    private static async Task<List<string>> KeyIdsAsync(ProxyClient client)
    {
        var keys = await client.Http.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        return [.. keys.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }
}

// PEM keys from configuration: the first signs, the second is only published (the operator's own rotation).
public sealed class ConfiguredKeysFixture : ProxyFixture
{
    public static readonly string[] Pems = [NewPem(), NewPem()];

    protected override IReadOnlyDictionary<string, string?> Extra => new Dictionary<string, string?>
    {
        ["Proxy:SigningKeys:0"] = Pems[0],
        ["Proxy:SigningKeys:1"] = Pems[1],
    };

    private static string NewPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }
}

public sealed class ConfiguredKeyTests(ConfiguredKeysFixture fixture) : IClassFixture<ConfiguredKeysFixture>
{
    [Fact]
    public async Task TheFirstConfiguredKeySignsAndBothArePublished()
    {
        using var client = await fixture.SignedInAsync(TestAddress.Unique("pem"));

        var echo = await client.EchoAsync(HttpMethod.Get, "/orders/1");
        var keys = await client.Http.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");

        var expected = ConfiguredKeysFixture.Pems.Select(pem =>
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            return ProxySigningKey.KeyIdOf(key);
        }).ToList();
        Assert.True(echo.Authenticated, echo.Failure);
        Assert.Equal(expected[0], echo.Kid);
        Assert.Equal(expected, keys.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, "/.well-known/openid-configuration")).StatusCode);
    }
}
