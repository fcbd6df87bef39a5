using System.Net;
using System.Text.Json.Nodes;
using PasswordlessBff.Mobile;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Mobile;

public sealed class MobileApps : ISettingsProfile
{
    public const string Fingerprint = "14:6d:e9:83:c5:73:06:50:d8:ee:b9:95:2f:34:fc:64:16:a0:83:42:e6:1d:be:a8:8a:04:96:b2:3f:cf:44:e5";

    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Passwordless:LinkBaseUrl"] = "https://links.example.com/auth",
        ["Mobile:Apple:AppIds:0"] = "ABCDE12345.com.example.app",
        ["Mobile:Apple:AppIds:1"] = "ABCDE12345.com.example.app.beta",
        ["Mobile:Android:Packages:0"] = "com.example.app",
        ["Mobile:Android:Packages:1"] = "com.example.app.beta",
        ["Mobile:Android:Fingerprints:0"] = Fingerprint,
    };
}

public sealed class AssociationFileTests(Bff<SqliteStore, MobileApps> factory) : IClassFixture<Bff<SqliteStore, MobileApps>>
{
    [Fact]
    public async Task TheAppleFileLetsTheConfiguredAppsOpenTheVerifyPathOnly()
    {
        using var browser = factory.NewBrowser();

        var file = await JsonAsync(await browser.GetAsync(MobileApi.ApplePath));

        Assert.Equal(JsonNode.Parse("""
            {"applinks":{"details":[{"appIDs":["ABCDE12345.com.example.app","ABCDE12345.com.example.app.beta"],
              "components":[{"/":"/auth/api/auth/verify"}]}]}}
            """)!.ToJsonString(), file.ToJsonString());
    }

    [Fact]
    public async Task TheAndroidFileListsEveryConfiguredPackageWithTheSigningFingerprints()
    {
        using var browser = factory.NewBrowser();

        var file = await JsonAsync(await browser.GetAsync(MobileApi.AndroidPath));

        var fingerprint = MobileApps.Fingerprint.ToUpperInvariant();
        Assert.Equal(JsonNode.Parse($$$"""
            [{"relation":["delegate_permission/common.handle_all_urls"],
              "target":{"namespace":"android_app","package_name":"com.example.app","sha256_cert_fingerprints":["{{{fingerprint}}}"]}},
             {"relation":["delegate_permission/common.handle_all_urls"],
              "target":{"namespace":"android_app","package_name":"com.example.app.beta","sha256_cert_fingerprints":["{{{fingerprint}}}"]}}]
            """)!.ToJsonString(), file.ToJsonString());
    }

    [Fact]
    public async Task TheMagicLinkIsBuiltOnLinkBaseUrl()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);

        var mail = await LoginMail.ReceiveAsync(factory, email);

        Assert.StartsWith("https://links.example.com/auth/api/auth/verify?link_token=", mail.Link!.AbsoluteUri, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}

public sealed class AssociationFilesWithoutAppsTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Theory]
    [InlineData(MobileApi.ApplePath)]
    [InlineData(MobileApi.AndroidPath)]
    public async Task WithoutConfiguredAppsTheFileIsNotThere(string path)
    {
        using var browser = factory.NewBrowser();

        await Expect.ProblemAsync(await browser.GetAsync(path), HttpStatusCode.NotFound, "not_found");
    }
}
