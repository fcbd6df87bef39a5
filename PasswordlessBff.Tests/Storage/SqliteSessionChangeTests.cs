using System.Net;
using Microsoft.Data.Sqlite;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;
using PasswordlessBff.Tests.Sessions;

namespace PasswordlessBff.Tests.Storage;

// SQLite's cached session copies are trusted until the session_changes log names them (SqliteSessionChanges): a change
// made outside this process, by a second instance on the same file or by hand in SQL, ends the session within
// Storage__Sqlite__RevocationCheckSeconds (0.25 s of real time). Waited for with a bound of a second, never a sleep.
public sealed class SqliteSessionChangeTests(Bff<SqliteStore, Defaults> a) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ARevocationWrittenByHandInSqlEndsTheCachedSessionWithinTheBound()
    {
        var signedIn = await SignedInAndCachedAsync();

        await ExecuteAsync("UPDATE sessions SET revoked_at = $now WHERE id = $id", signedIn.SessionId);

        await Eventually.StatusAsync(() => CheckAsync(a, signedIn), HttpStatusCode.Unauthorized, Within);
    }

    [Fact]
    public async Task ASessionRowDeletedByHandEndsTheCachedSessionWithinTheBound()
    {
        var signedIn = await SignedInAndCachedAsync();

        await ExecuteAsync("DELETE FROM sessions WHERE id = $id", signedIn.SessionId);

        await Eventually.StatusAsync(() => CheckAsync(a, signedIn), HttpStatusCode.Unauthorized, Within);
    }

    [Fact]
    public async Task ALogoutOnASecondInstanceOnTheSameFileEndsTheSessionHereWithinTheBound()
    {
        await using var b = a.CreateSibling();
        using var browser = a.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(a, browser);
        await Expect.StatusAsync(await CheckAsync(a, signedIn), HttpStatusCode.OK);
        await Expect.StatusAsync(await CheckAsync(b, signedIn), HttpStatusCode.OK);

        var logout = new HttpRequestMessage(HttpMethod.Post, SessionApi.LogoutPath);
        logout.Headers.Add("X-CSRF", "1");
        logout.Headers.Add("Cookie", $"{SessionKit.SessionCookieName}={signedIn.SessionCookie}");
        await Expect.StatusAsync(await b.CreateClient().SendAsync(logout), HttpStatusCode.NoContent);

        await Eventually.StatusAsync(() => CheckAsync(a, signedIn), HttpStatusCode.Unauthorized, Within);
    }

    [Fact]
    public async Task ChangesLoggedBeforeThisInstanceReadThemButSweptAwayStillEndTheSession()
    {
        var signedIn = await SignedInAndCachedAsync();

        // As if the sweep had removed the log rows before this instance read them: it sees the gap and drops every copy.
        await ExecuteAsync("UPDATE sessions SET revoked_at = $now WHERE id = $id; DELETE FROM session_changes;", signedIn.SessionId);

        await Eventually.StatusAsync(() => CheckAsync(a, signedIn), HttpStatusCode.Unauthorized, Within);
    }

    [Fact]
    public async Task TheLogNamesEveryChangeToASessionRowButAForwardLastSeen()
    {
        var signedIn = await SignedInAndCachedAsync();
        var before = await LoggedAsync(signedIn.SessionId);

        await ExecuteAsync("UPDATE sessions SET last_seen_at = last_seen_at + 1000 WHERE id = $id", signedIn.SessionId);
        Assert.Equal(before, await LoggedAsync(signedIn.SessionId));

        await ExecuteAsync("UPDATE sessions SET roles = '[\"admin\"]' WHERE id = $id", signedIn.SessionId);
        Assert.Equal(before + 1, await LoggedAsync(signedIn.SessionId));
        await ExecuteAsync("UPDATE sessions SET last_seen_at = last_seen_at - 5000 WHERE id = $id", signedIn.SessionId);
        Assert.Equal(before + 2, await LoggedAsync(signedIn.SessionId));
    }

    [Fact]
    public async Task AUseDueForALastSeenWriteReachesTheFileBeforeItsAnswer()
    {
        using var browser = a.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(a, browser);
        a.Time.Advance(TimeSpan.FromSeconds(61));
        var used = a.Time.GetUtcNow().ToUnixTimeMilliseconds();

        await Expect.StatusAsync(await SessionKit.GetWithSessionCookieAsync(a, SessionApi.MePath, signedIn.SessionCookie), HttpStatusCode.OK);

        await using var connection = new SqliteConnection($"Data Source={a.SqliteStore.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_seen_at FROM sessions WHERE id = $id";
        command.Parameters.AddWithValue("$id", signedIn.SessionId);
        Assert.Equal(used, (long)(await command.ExecuteScalarAsync())!);
    }

    private async Task<SignedIn> SignedInAndCachedAsync()
    {
        using var browser = a.NewBrowser();
        var signedIn = await SessionKit.SignInWithCodeAsync(a, browser);
        await Expect.StatusAsync(await CheckAsync(a, signedIn), HttpStatusCode.OK);
        return signedIn;
    }

    private static Task<HttpResponseMessage> CheckAsync(BffFactory instance, SignedIn signedIn) =>
        SessionKit.GetWithSessionCookieAsync(instance, SessionApi.SessionPath, signedIn.SessionCookie);

    private async Task ExecuteAsync(string sql, string sessionId)
    {
        await using var connection = new SqliteConnection($"Data Source={a.SqliteStore.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$now", a.Time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> LoggedAsync(string sessionId)
    {
        await using var connection = new SqliteConnection($"Data Source={a.SqliteStore.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM session_changes WHERE session_id = $id";
        command.Parameters.AddWithValue("$id", sessionId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
