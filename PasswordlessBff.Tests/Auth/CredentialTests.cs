using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.Tokens;
using PasswordlessBff.Passwordless.BuiltIn;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Auth;

public sealed class CredentialTests(BffFactory factory) : IClassFixture<BffFactory>
{
    [Fact]
    public void CodesAreSixRandomDigitsAndLinkTokensCarryAtLeast128Bits()
    {
        var codes = Enumerable.Range(0, 5000).Select(_ => CredentialGenerator.NewCode()).ToList();
        Assert.All(codes, code => Assert.Matches("^[0-9]{6}$", code));
        Assert.True(codes.Distinct().Count() > 4900);
        for (var position = 0; position < 6; position++)
        {
            Assert.Equal(10, codes.Select(code => code[position]).Distinct().Count());
        }
        var tokens = Enumerable.Range(0, 100).Select(_ => CredentialGenerator.NewLinkToken()).ToList();
        Assert.All(tokens, token => Assert.True(Base64UrlEncoder.DecodeBytes(token).Length >= 16));
        Assert.Equal(100, tokens.Distinct().Count());
    }

    [Fact]
    public async Task TheLinkTokenDoesNotDeriveFromTheCodeOrTheEmail()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        await Expect.StatusAsync(await browser.PostAsync("/api/auth/resend"), System.Net.HttpStatusCode.OK);
        var first = await LoginMail.ReceiveAsync(factory, email);
        var second = await LoginMail.ReceiveAsync(factory, email, nth: 2);

        Assert.NotEqual(first.LinkToken, second.LinkToken);
        var decoded = Base64UrlEncoder.DecodeBytes(first.LinkToken!);
        Assert.DoesNotContain(first.Code!, Encoding.Latin1.GetString(decoded), StringComparison.Ordinal);
        Assert.DoesNotContain(first.Code!, first.LinkToken!, StringComparison.Ordinal);
        Assert.DoesNotContain(email.Split('@')[0], first.LinkToken!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheStoreHoldsOnlyKeyedHashesOfCodesAndLinks()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath}"))
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            command.CommandText = "SELECT hash FROM login_credentials WHERE login_id = $id";
            command.Parameters.AddWithValue("$id", sent.AuthRequestId);
            await using var reader = await command.ExecuteReaderAsync();
            var hashes = new List<byte[]>();
            while (await reader.ReadAsync())
            {
                hashes.Add((byte[])reader[0]);
            }
            Assert.Equal(2, hashes.Count);
            Assert.All(hashes, hash => Assert.Equal(32, hash.Length));
            var unkeyed = new[] { mail.Code!, mail.LinkToken! }.Select(v => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(v)));
            Assert.DoesNotContain(hashes, hash => unkeyed.Any(u => u.SequenceEqual(hash)));
        }

        // Neither the database nor its write-ahead log holds the code or the token in clear.
        foreach (var file in new[] { factory.DatabasePath, factory.DatabasePath + "-wal" }.Where(File.Exists))
        {
            var bytes = Encoding.Latin1.GetString(await ReadSharedAsync(file));
            Assert.DoesNotContain(mail.LinkToken!, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(mail.Code!, bytes, StringComparison.Ordinal);
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
