using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Tests.Infrastructure;

// One host per fixture: its own SQLite file, its own real SMTP sink, a fake clock and a known signing key.
// The store-specific hooks below let one behavioural suite run on SQLite and on Redis (RedisBffFactory).
public class BffFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly string TestSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly Dictionary<string, string?> _settings;
    private readonly IDictionary<string, string?> _overrides;

    public BffFactory() : this(new Dictionary<string, string?>())
    {
    }

    protected internal BffFactory(IDictionary<string, string?> overrides, string? databasePath = null, SmtpSink? sharedSmtp = null,
        FakeTimeProvider? sharedTime = null)
    {
        _overrides = overrides;
        Time = sharedTime ?? new(DateTimeOffset.UtcNow);
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), "pwlbff-tests", Guid.NewGuid().ToString("N"), "test.db");
        Smtp = sharedSmtp ?? new SmtpSink();
        OwnsSmtp = sharedSmtp is null;
        _settings = new Dictionary<string, string?>
        {
            ["Passwordless:PublicBaseUrl"] = "https://localhost",
            ["Session:SigningKey"] = TestSigningKey,
            ["Storage:Sqlite:Path"] = DatabasePath,
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:From"] = "PasswordlessBff Tests <no-reply@tests.example>",
            ["RateLimits:SendPerMinute"] = "100000",
            ["RateLimits:VerifyPerMinute"] = "100000",
        };
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    public FakeTimeProvider Time { get; }

    public SmtpSink Smtp { get; }

    public string DatabasePath { get; }

    public CapturedLogs Logs { get; } = new();

    public string Environment { get; init; } = "Production";

    private bool OwnsSmtp { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    // Another host on the same store, SMTP sink and clock: the same service restarted, or a second instance.
    public BffFactory CreateSibling() => CreateSibling(new Dictionary<string, string?>());

    // The same, restarted with some settings changed (a signing key rotated, say).
    public virtual BffFactory CreateSibling(IDictionary<string, string?> changes) =>
        new BffFactory(Merge(_overrides, changes), DatabasePath, Smtp, Time) { Environment = Environment };

    protected static Dictionary<string, string?> Merge(IDictionary<string, string?> settings, IDictionary<string, string?> changes)
    {
        var merged = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in changes)
        {
            merged[key] = value;
        }
        return merged;
    }

    public Task<PendingLogin?> LoginAsync(string authRequestId) =>
        Services.GetRequiredService<ILoginStore>().GetLoginAsync(authRequestId, CancellationToken.None);

    // Live sessions: a verification that lost the race for its login leaves a revoked record that never had a cookie.
    public virtual async Task<long> CountSessionsAsync(string email)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions WHERE email = $email AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$email", email);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // Everything the store holds, as text, for tests that look for secrets in clear.
    public virtual async Task<string> RawStoreContentsAsync()
    {
        var contents = new StringBuilder();
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            contents.Append(Encoding.Latin1.GetString(copy.ToArray()));
        }
        return contents.ToString();
    }

    private static readonly string[] DatabaseFiles = ["", "-wal", "-shm"];

    // The store becomes unreachable: pooled connections closed, the file replaced by a directory nothing can open.
    public virtual Task TakeStoreAwayAsync()
    {
        SqliteConnection.ClearAllPools();
        MoveDatabase(DatabasePath, DatabasePath + ".aside");
        Directory.CreateDirectory(DatabasePath);
        return Task.CompletedTask;
    }

    public virtual Task BringStoreBackAsync()
    {
        Directory.Delete(DatabasePath);
        MoveDatabase(DatabasePath + ".aside", DatabasePath);
        return Task.CompletedTask;
    }

    private static void MoveDatabase(string from, string to)
    {
        foreach (var suffix in DatabaseFiles.Where(suffix => File.Exists(from + suffix)))
        {
            File.Move(from + suffix, to + suffix);
        }
    }

    // A browser: its own cookie jar, https so __Host- cookies flow, no automatic redirects.
    public Browser NewBrowser() => new(this);

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        // Virtual: a store-specific factory releases what it holds too.
        await DisposeAsync();
        if (OwnsSmtp)
        {
            await Smtp.DisposeAsync();
        }
    }
}
