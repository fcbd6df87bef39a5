using System.Net;
using System.Text.Json;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Hosting;

public abstract class HealthTests<TFactory>(TFactory factory, string store) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task ReadinessListsEachDependencyWithStatusAndDescription()
    {
        using var browser = factory.NewBrowser();
        var ready = await browser.GetAsync("/readyz");
        await Expect.StatusAsync(ready, HttpStatusCode.OK);
        var body = await ready.Content.ReadAsStringAsync();
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("store").GetProperty("status").GetString());
        Assert.Equal($"The {store} store answers.", checks.GetProperty("store").GetProperty("description").GetString());
        Assert.Equal("Healthy", checks.GetProperty("email").GetProperty("status").GetString());
        Assert.Equal("The SMTP server answers.", checks.GetProperty("email").GetProperty("description").GetString());
        // No host, port or connection string in the answer.
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LivenessChecksNoDependency()
    {
        using var browser = factory.NewBrowser();
        var live = await browser.GetAsync("/healthz");
        await Expect.StatusAsync(live, HttpStatusCode.OK);
        var root = JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", root.GetProperty("status").GetString());
        Assert.Empty(root.GetProperty("checks").EnumerateObject());
    }
}

public sealed class HealthTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : HealthTests<Bff<SqliteStore, Defaults>>(factory, "SQLite");

public sealed class HealthTestsOnRedis(Bff<RedisStore, Defaults> factory) : HealthTests<Bff<RedisStore, Defaults>>(factory, "Redis");

public sealed class HealthTestsOnRedisCluster(Bff<RedisClusterStore, Defaults> factory)
    : HealthTests<Bff<RedisClusterStore, Defaults>>(factory, "Redis");
