using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PasswordlessBff.Storage;
using PasswordlessBff.Telemetry;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Storage;

// A store built as the app builds it (AddStore), without a web host, plus a second instance on the same data: a
// second process on the SQLite file, a second instance on the Redis. Both share one fake clock.
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, 123, TimeSpan.Zero));

    public ILoginStore Logins { get; private set; } = null!;

    public ISessionStore Sessions { get; private set; } = null!;

    public IEmailJobStore EmailJobs { get; private set; } = null!;

    // Holds nothing in its cache, so what it returns came from the database.
    public ISessionStore OtherInstance { get; private set; } = null!;

    protected abstract IDictionary<string, string?> Settings { get; }

    protected string DataDirectory { get; } = Directory.CreateTempSubdirectory("pwlbff-store-").FullName;

    public async Task InitializeAsync()
    {
        var first = await StartAsync();
        Logins = first.GetRequiredService<ILoginStore>();
        Sessions = first.GetRequiredService<ISessionStore>();
        EmailJobs = first.GetRequiredService<IEmailJobStore>();
        OtherInstance = (await StartAsync()).GetRequiredService<ISessionStore>();
    }

    private async Task<ServiceProvider> StartAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var environment = new TestEnvironment(DataDirectory);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IHostEnvironment>(environment)
            .AddMetrics()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<UpstreamMetrics>()
            .AddStore(configuration, environment);
        services.AddOptions<PasswordlessBff.Sessions.SessionOptions>();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        await provider.GetRequiredService<IStoreMaintenance>().InitializeAsync(CancellationToken.None);
        return provider;
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private sealed class TestEnvironment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "PasswordlessBff.Tests";
        public string ContentRootPath { get; set; } = contentRoot;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

public sealed class SqliteStoreFixture : StoreFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Sqlite",
        ["Storage:Sqlite:Path"] = Path.Combine(DataDirectory, "contract.db"),
    };
}

// The shared Redis, or the shared three-master cluster, with a key prefix of this fixture's own.
public abstract class RedisFixture(string configuration) : StoreFixture
{
    public string KeyPrefix { get; } = RedisStore.NewKeyPrefix();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Redis",
        ["Storage:Redis:Configuration"] = configuration,
        ["Storage:Redis:KeyPrefix"] = KeyPrefix,
    };
}

public sealed class RedisStoreFixture() : RedisFixture(RedisServer.Shared.Configuration);

public sealed class RedisClusterStoreFixture() : RedisFixture(RedisClusterServer.Shared.Configuration);
