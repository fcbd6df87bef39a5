using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PasswordlessBff.Storage;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Storage;

public sealed class SweepTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task ExpiredLoginsAreSweptAfterTheRetentionButNotBefore()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        var sent = await browser.SendAsync(email);
        await LoginMail.ReceiveAsync(factory, email);
        var store = factory.Services.GetRequiredService<IStoreMaintenance>();

        // Expired, but kept for an hour so a late click hears "expired" rather than "unknown".
        await store.SweepExpiredAsync(factory.Time.GetUtcNow().AddSeconds(300 + 3500), CancellationToken.None);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM logins WHERE id = $id", sent.AuthRequestId));

        await store.SweepExpiredAsync(factory.Time.GetUtcNow().AddSeconds(300 + 3601), CancellationToken.None);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM logins WHERE id = $id", sent.AuthRequestId));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM login_credentials WHERE login_id = $id", sent.AuthRequestId));
    }

    private async Task<long> CountAsync(string sql, string id)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.SqliteStore.DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
