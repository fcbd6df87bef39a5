using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Storage.Sqlite;

// One embedded database file holds logins, the email queue, sessions and Data Protection keys: one thing to back up.
public sealed class SqliteDatabase : IStoreMaintenance, IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS logins (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL,
            return_to TEXT NOT NULL,
            template TEXT NOT NULL,
            state TEXT,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            completed_at INTEGER,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locale TEXT,
            template_variables TEXT,
            last_sent_at INTEGER,
            code_challenge TEXT,
            approval_number TEXT,
            asked_by TEXT,
            approval INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ix_logins_expires_at ON logins (expires_at);
        CREATE TABLE IF NOT EXISTS login_credentials (
            login_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            hash BLOB NOT NULL,
            expires_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_login_credentials_login ON login_credentials (login_id);
        CREATE INDEX IF NOT EXISTS ix_login_credentials_hash ON login_credentials (hash);
        CREATE TABLE IF NOT EXISTS email_sends (
            address_key BLOB NOT NULL,
            sent_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_email_sends_address ON email_sends (address_key, sent_at);
        CREATE TABLE IF NOT EXISTS address_failures (
            address_key BLOB PRIMARY KEY,
            window_start INTEGER NOT NULL,
            failures INTEGER NOT NULL,
            next_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS sessions (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL,
            return_to TEXT NOT NULL,
            device TEXT,
            created_at INTEGER NOT NULL,
            absolute_expires_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            revoked_at INTEGER,
            user_id TEXT,
            roles TEXT,
            claims TEXT);
        CREATE INDEX IF NOT EXISTS ix_sessions_email ON sessions (email);
        CREATE TABLE IF NOT EXISTS email_jobs (
            id TEXT PRIMARY KEY,
            login_id TEXT NOT NULL,
            payload BLOB NOT NULL,
            queued_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            due_at INTEGER NOT NULL,
            claims INTEGER NOT NULL DEFAULT 0,
            claim TEXT,
            sending_at INTEGER,
            uncertain_at INTEGER);
        CREATE INDEX IF NOT EXISTS ix_email_jobs_due ON email_jobs (due_at) WHERE uncertain_at IS NULL;
        CREATE TABLE IF NOT EXISTS data_protection_keys (
            name TEXT PRIMARY KEY,
            xml TEXT NOT NULL);
        """;

    // After the migrations: the triggers name the columns a migration may have had to add.
    private const string SessionChangeLog = """
        CREATE TABLE IF NOT EXISTS session_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL,
            changed_at INTEGER NOT NULL);
        CREATE TRIGGER IF NOT EXISTS tr_sessions_changed AFTER UPDATE ON sessions
            WHEN NOT (NEW.id IS OLD.id AND NEW.email IS OLD.email AND NEW.return_to IS OLD.return_to AND NEW.device IS OLD.device
                AND NEW.created_at IS OLD.created_at AND NEW.absolute_expires_at IS OLD.absolute_expires_at
                AND NEW.revoked_at IS OLD.revoked_at AND NEW.user_id IS OLD.user_id AND NEW.roles IS OLD.roles
                AND NEW.claims IS OLD.claims AND NEW.last_seen_at >= OLD.last_seen_at)
            BEGIN INSERT INTO session_changes (session_id, changed_at) VALUES (OLD.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
        CREATE TRIGGER IF NOT EXISTS tr_sessions_deleted AFTER DELETE ON sessions
            BEGIN INSERT INTO session_changes (session_id, changed_at) VALUES (OLD.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
        """;

    private readonly string _connectionString;
    private readonly StorageOptions _options;
    private readonly SemaphoreSlim _writer = new(1, 1);

    private readonly TimeProvider _time;
    private long _lastSuccess = long.MinValue;
    private volatile bool _failing;

    public SqliteDatabase(IOptions<StorageOptions> options, IHostEnvironment environment, TimeProvider time)
    {
        _time = time;
        _options = options.Value;
        var path = Path.GetFullPath(_options.Sqlite.Path, environment.ContentRootPath);
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 5,
        }.ToString();
    }

    public string FilePath { get; }

    // Reads run side by side (WAL: readers never wait for the writer).
    public async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(ct);
            var result = await work(connection);
            Succeeded();
            return result;
        }
        catch (SqliteException e)
        {
            _failing = true;
            throw new DependencyUnavailableException("SQLite store", e);
        }
    }

    // True when the last access succeeded and one did within the window: what lets a cache answer for the file, so an
    // outage (the file gone, the disk failing) turns caches off as soon as any access, a readiness probe included, fails.
    public bool ConfirmedWithin(TimeSpan window) =>
        !_failing && Interlocked.Read(ref _lastSuccess) is var last && last != long.MinValue && _time.GetElapsedTime(last) < window;

    private void Succeeded()
    {
        Interlocked.Exchange(ref _lastSuccess, _time.GetTimestamp());
        _failing = false;
    }

    public Task RunAsync(Func<SqliteConnection, Task> work, CancellationToken ct) =>
        RunAsync(async connection => { await work(connection); return true; }, ct);

    // SQLite has one writer at a time. Writers queue here, because a second writer would get SQLITE_BUSY and
    // Microsoft.Data.Sqlite retries that after a 150 ms sleep: under concurrent sends that sleep was the p99.
    // Commits are durable against a crash of the process; against power loss only when durable is set (WAL with
    // synchronous=NORMAL fsyncs at checkpoints, FULL at every commit): revocations are, a pending login need not be.
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct, bool durable = false)
    {
        await _writer.WaitAsync(ct);
        try
        {
            return await RunAsync(async connection =>
            {
                // No automatic checkpoint: the commit that crossed 1,000 WAL pages copied them back and fsynced the file
                // while every other write waited (the send and verify profiles); SqliteCheckpoints does it beside the queue.
                await connection.ExecuteAsync(durable ? "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0"
                    : "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0", ct);
                return await work(connection);
            }, ct);
        }
        finally
        {
            _writer.Release();
        }
    }

    public Task WriteAsync(Func<SqliteConnection, Task> work, CancellationToken ct, bool durable = false) =>
        WriteAsync(async connection => { await work(connection); return true; }, ct, durable);

    public T Run<T>(Func<SqliteConnection, T> work)
    {
        _writer.Wait();
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            var result = work(connection);
            Succeeded();
            return result;
        }
        catch (SqliteException e)
        {
            _failing = true;
            throw new DependencyUnavailableException("SQLite store", e);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task InitializeAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(Schema, ct);
            // Databases created before the email language was kept gain its columns in place.
            if (await connection.ScalarAsync<long>("SELECT COUNT(*) FROM pragma_table_info('logins') WHERE name = 'locale'", ct) == 0)
            {
                await connection.ExecuteAsync("ALTER TABLE logins ADD COLUMN locale TEXT; ALTER TABLE logins ADD COLUMN template_variables TEXT;", ct);
            }
            // Likewise the time of the newest email, which server-side resendAfter needs.
            if (await connection.ScalarAsync<long>("SELECT COUNT(*) FROM pragma_table_info('logins') WHERE name = 'last_sent_at'", ct) == 0)
            {
                await connection.ExecuteAsync("ALTER TABLE logins ADD COLUMN last_sent_at INTEGER;", ct);
            }
            // Likewise an app's PKCE challenge.
            if (await connection.ScalarAsync<long>("SELECT COUNT(*) FROM pragma_table_info('logins') WHERE name = 'code_challenge'", ct) == 0)
            {
                await connection.ExecuteAsync("ALTER TABLE logins ADD COLUMN code_challenge TEXT;", ct);
            }
            // And the cross-device approval's number, the asking browser and the decision.
            if (await connection.ScalarAsync<long>("SELECT COUNT(*) FROM pragma_table_info('logins') WHERE name = 'approval'", ct) == 0)
            {
                await connection.ExecuteAsync("ALTER TABLE logins ADD COLUMN approval_number TEXT; ALTER TABLE logins ADD COLUMN asked_by TEXT; "
                    + "ALTER TABLE logins ADD COLUMN approval INTEGER NOT NULL DEFAULT 0;", ct);
            }
            // And the session's user (the sign-in policy's user id, roles and claims).
            if (await connection.ScalarAsync<long>("SELECT COUNT(*) FROM pragma_table_info('sessions') WHERE name = 'user_id'", ct) == 0)
            {
                await connection.ExecuteAsync("ALTER TABLE sessions ADD COLUMN user_id TEXT; ALTER TABLE sessions ADD COLUMN roles TEXT; "
                    + "ALTER TABLE sessions ADD COLUMN claims TEXT;", ct);
            }
            await connection.ExecuteAsync("CREATE INDEX IF NOT EXISTS ix_sessions_user_id ON sessions (user_id);", ct);
            // Every change to a session row but a forward last-seen is logged by the triggers above (the schema's
            // session_changes), so each instance's cached copies are trusted until the log names them (SqliteSessionChanges).
            await connection.ExecuteAsync(SessionChangeLog, ct);
        }, ct);
    }

    // PASSIVE: copies what no reader still needs and never blocks the writer, which keeps appending meanwhile.
    public Task CheckpointAsync(CancellationToken ct) =>
        RunAsync(connection => connection.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE)", ct), ct);

    public Task PingAsync(CancellationToken ct) =>
        RunAsync(connection => connection.ScalarAsync<long>("SELECT 1", ct), ct);

    public Task<int> SweepExpiredAsync(DateTimeOffset now, CancellationToken ct) => WriteAsync(async connection =>
    {
        var loginCutoff = now.AddSeconds(-_options.RetainExpiredLoginsSeconds).ToUnixTimeMilliseconds();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var removed = await connection.ExecuteAsync("""
            DELETE FROM login_credentials WHERE login_id IN (SELECT id FROM logins WHERE expires_at < $cutoff);
            DELETE FROM logins WHERE expires_at < $cutoff;
            DELETE FROM email_sends WHERE sent_at < $hourAgo;
            DELETE FROM address_failures WHERE window_start < $dayAgo;
            DELETE FROM sessions WHERE absolute_expires_at < $now;
            DELETE FROM email_jobs WHERE uncertain_at < $dayAgo;
            DELETE FROM session_changes WHERE changed_at < $hourAgo;
            """, ct,
            ("$cutoff", loginCutoff),
            ("$hourAgo", now.AddHours(-1).ToUnixTimeMilliseconds()),
            ("$dayAgo", now.AddDays(-1).ToUnixTimeMilliseconds()),
            ("$now", now.ToUnixTimeMilliseconds()));
        await transaction.CommitAsync(ct);
        return removed;
    }, ct);

    public void Dispose() => _writer.Dispose();
}
