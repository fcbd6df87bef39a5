using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Storage;

// Self-signed RSA certificates in PFX files, as an operator makes them with openssl (docs/OPERATIONS.md).
public static class TestPfx
{
    public const string Password = "current-pfx-password";
    public const string OldPassword = "old-pfx-password";

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "pwlbff-tests", "pfx-" + Guid.NewGuid().ToString("N"));
    private static readonly Lazy<string> CurrentFile = new(() => Create("current.pfx", Password, withPrivateKey: true));
    private static readonly Lazy<string> OldFile = new(() => Create("old.pfx", OldPassword, withPrivateKey: true));
    private static readonly Lazy<string> PublicOnlyFile = new(() => Create("public-only.pfx", Password, withPrivateKey: false));

    public static string Current => CurrentFile.Value;
    public static string Old => OldFile.Value;
    public static string PublicOnly => PublicOnlyFile.Value;

    public static Dictionary<string, string?> Settings(string path, string password) => new()
    {
        ["DataProtection:CertificatePath"] = path,
        ["DataProtection:CertificatePassword"] = password,
    };

    private static string Create(string name, string password, bool withPrivateKey)
    {
        Directory.CreateDirectory(Folder);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=PasswordlessBff Data Protection (tests)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var exported = withPrivateKey ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, (exported ?? certificate).Export(X509ContentType.Pkcs12, password));
        return path;
    }
}

// Data Protection keys (the binding cookie's) are encrypted at rest with a configured certificate, and still
// persist across restarts (SECURITY.md items 7 and 21).
public sealed class KeyEncryptionTests
{
    [Fact]
    public Task WithACertificateTheStoredKeysAreEncryptedAndALinkSentBeforeARestartStillSignsIn() =>
        WithStoreAsync(TestPfx.Settings(TestPfx.Current, TestPfx.Password), async store =>
        {
            var (cookies, link) = await SendLinkBeforeARestartAsync(store);

            var keys = await StoredKeysAsync(store);
            Assert.NotEmpty(keys);
            Assert.All(keys, key =>
            {
                Assert.Contains("<EncryptedData", key, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
            });
            await ExpectLinkSignsInAfterTheRestartAsync(store.CreateSibling(), cookies, link);
        });

    [Fact]
    public Task WithoutACertificateTheStoredKeysAreKeptAsBefore() =>
        WithStoreAsync(new Dictionary<string, string?>(), async store =>
        {
            var (cookies, link) = await SendLinkBeforeARestartAsync(store);

            var keys = await StoredKeysAsync(store);
            Assert.NotEmpty(keys);
            Assert.All(keys, key =>
            {
                Assert.Contains("<masterKey", key, StringComparison.Ordinal);
                Assert.DoesNotContain("EncryptedData", key, StringComparison.Ordinal);
            });
            await ExpectLinkSignsInAfterTheRestartAsync(store.CreateSibling(), cookies, link);
        });

    [Fact]
    public Task AfterRotationThePreviousCertificateStillDecryptsTheKeysItEncrypted() =>
        WithStoreAsync(TestPfx.Settings(TestPfx.Old, TestPfx.OldPassword), async store =>
        {
            var (cookies, link) = await SendLinkBeforeARestartAsync(store);

            var rotated = store.CreateSibling(new Dictionary<string, string?>
            {
                ["DataProtection:CertificatePath"] = TestPfx.Current,
                ["DataProtection:CertificatePassword"] = TestPfx.Password,
                ["DataProtection:PreviousCertificatePaths:0"] = TestPfx.Old,
                ["DataProtection:PreviousCertificatePasswords:0"] = TestPfx.OldPassword,
            });
            await ExpectLinkSignsInAfterTheRestartAsync(rotated, cookies, link);
        });

    [Fact]
    public async Task AWrongCertificatePasswordStopsStartUpNamingIt()
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(TestPfx.Settings(TestPfx.Current, "not-the-password")));
        Assert.Contains("DataProtection__CertificatePassword is wrong", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingCertificateFileStopsStartUpNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "pwlbff-tests", Guid.NewGuid().ToString("N"), "absent.pfx");
        var error = await StartupFailure.OfAsync(() => new BffFactory(TestPfx.Settings(missing, TestPfx.Password)));
        Assert.Contains($"DataProtection__CertificatePath '{missing}' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACertificateWithoutItsPrivateKeyStopsStartUpNamingIt()
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(TestPfx.Settings(TestPfx.PublicOnly, TestPfx.Password)));
        Assert.Contains("DataProtection__CertificatePath", error, StringComparison.Ordinal);
        Assert.Contains("without its private key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadablePreviousCertificateStopsStartUpNamingIt()
    {
        var settings = TestPfx.Settings(TestPfx.Current, TestPfx.Password);
        settings["DataProtection:PreviousCertificatePaths:0"] = TestPfx.Old;
        var error = await StartupFailure.OfAsync(() => new BffFactory(settings));
        Assert.Contains("DataProtection__PreviousCertificatePaths__0", error, StringComparison.Ordinal);
        Assert.Contains("DataProtection__CertificatePassword is wrong", error, StringComparison.Ordinal);
    }

    // The store holds the database file, the SMTP sink and the clock; the hosts under test are its siblings.
    private static async Task WithStoreAsync(Dictionary<string, string?> settings, Func<BffFactory, Task> test)
    {
        var store = new BffFactory(settings);
        try
        {
            await test(store);
        }
        finally
        {
            await ((IAsyncLifetime)store).DisposeAsync();
        }
    }

    private static async Task<(CookieContainer Cookies, Uri Link)> SendLinkBeforeARestartAsync(BffFactory store)
    {
        var cookies = new CookieContainer();
        var email = Addresses.Unique("key-encryption");
        await using var before = store.CreateSibling();
        using var browser = new Browser(before, cookies);
        await browser.SendAsync(email);
        return (cookies, (await LoginMail.ReceiveAsync(before, email)).Link!);
    }

    private static async Task ExpectLinkSignsInAfterTheRestartAsync(BffFactory after, CookieContainer cookies, Uri link)
    {
        await using (after)
        {
            using var browser = new Browser(after, cookies);
            Expect.RedirectTo(await browser.OpenLinkAsync(link), "/");
            await Expect.StatusAsync(await browser.GetAsync(SessionApi.MePath), HttpStatusCode.OK);
        }
    }

    private static async Task<List<string>> StoredKeysAsync(BffFactory store)
    {
        await using var connection = new SqliteConnection($"Data Source={store.SqliteStore.DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys";
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }
}
