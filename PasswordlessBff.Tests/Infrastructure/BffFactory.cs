using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace PasswordlessBff.Tests.Infrastructure;

// One host per fixture: its own SQLite file, its own real SMTP sink, a fake clock and a known signing key.
public class BffFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly string TestSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly Dictionary<string, string?> _settings;

    public BffFactory() : this(new Dictionary<string, string?>())
    {
    }

    protected internal BffFactory(IDictionary<string, string?> overrides, string? databasePath = null, SmtpSink? sharedSmtp = null)
    {
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

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

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

    // A browser: its own cookie jar, https so __Host- cookies flow, no automatic redirects.
    public Browser NewBrowser() => new(this);

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (OwnsSmtp)
        {
            await Smtp.DisposeAsync();
        }
    }
}
