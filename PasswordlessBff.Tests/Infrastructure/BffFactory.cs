using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Tests.Infrastructure;

// One host per fixture: its own store (SQLite unless told otherwise), its own real SMTP sink, a fake clock and a known
// signing key. Suites that run on every store take Bff<TStore, TProfile>.
public class BffFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly string TestSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly Dictionary<string, string?> _settings;
    private readonly IReadOnlyDictionary<string, string?> _overrides;
    private readonly bool _ownsStore;

    // A one-off host on its own SQLite file.
    public BffFactory(IReadOnlyDictionary<string, string?> overrides, SmtpSink? sharedSmtp = null)
        : this(new SqliteStore(), overrides, sharedSmtp)
    {
    }

    protected internal BffFactory(ITestStore store, IReadOnlyDictionary<string, string?> overrides, SmtpSink? sharedSmtp = null,
        FakeTimeProvider? sharedTime = null, bool ownsStore = true)
    {
        Store = store;
        _ownsStore = ownsStore;
        _overrides = overrides;
        Time = sharedTime ?? new(DateTimeOffset.UtcNow);
        Smtp = sharedSmtp ?? new SmtpSink();
        OwnsSmtp = sharedSmtp is null;
        _settings = new Dictionary<string, string?>
        {
            ["Passwordless:PublicBaseUrl"] = "https://localhost",
            ["Session:SigningKey"] = TestSigningKey,
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:From"] = "PasswordlessBff Tests <no-reply@tests.example>",
            ["RateLimits:SendPerMinute"] = "100000",
            ["RateLimits:VerifyPerMinute"] = "100000",
            ["RateLimits:PollPerMinute"] = "100000",
        };
        foreach (var (key, value) in store.Settings.Concat(overrides))
        {
            _settings[key] = value;
        }
    }

    public ITestStore Store { get; }

    // The store beneath, for the tests that look at one kind of store's own data.
    public SqliteStore SqliteStore => Store as SqliteStore ?? throw new InvalidOperationException("This host does not run on SQLite.");

    public IRedisTestStore RedisStore => Store as IRedisTestStore ?? throw new InvalidOperationException("This host does not run on Redis.");

    public FakeTimeProvider Time { get; }

    public SmtpSink Smtp { get; }

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
    public virtual BffFactory CreateSibling(IReadOnlyDictionary<string, string?> changes) =>
        new BffFactory(Store, Merge(_overrides, changes), Smtp, Time, ownsStore: false) { Environment = Environment };

    protected static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string?> changes)
    {
        var merged = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in changes)
        {
            merged[key] = value;
        }
        return merged;
    }

    public Task<PendingLogin?> LoginAsync(string loginId) =>
        Services.GetRequiredService<ILoginStore>().GetLoginAsync(loginId, CancellationToken.None);

    // The nth sign-in email to an address as the person reads it, whoever sent it: our SMTP sender here, Scalekit for
    // ScalekitFactory. Suites that hold for every provider read their mail through this.
    public virtual async Task<LoginMail> ReceiveMailAsync(string address, int nth = 1) => LoginMail.From(await Smtp.WaitForAsync(address, nth));

    public Task<long> CountSessionsAsync(string email) => Store.CountSessionsAsync(email);

    public Task<string> RawStoreContentsAsync() => Store.RawContentsAsync();

    public Task TakeStoreAwayAsync() => Store.TakeAwayAsync();

    public Task BringStoreBackAsync() => Store.BringBackAsync();

    // A browser: its own cookie jar, https so __Host- cookies flow, no automatic redirects.
    public Browser NewBrowser() => new(this);

    public Task InitializeAsync() => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsStore)
        {
            await Store.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (OwnsSmtp)
        {
            await Smtp.DisposeAsync();
        }
    }
}
