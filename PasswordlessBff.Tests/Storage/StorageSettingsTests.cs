using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PasswordlessBff.Storage;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Storage;

public sealed class StorageSettingsTests
{
    [Theory]
    [InlineData("Storage:Sqlite:SessionCacheMilliseconds", "250", "Storage__Sqlite__SessionCacheSeconds")]
    [InlineData("Storage:Sqlite:SessionCacheSeconds", "-0.25", "Storage__Sqlite__SessionCacheSeconds")]
    [InlineData("Storage:Sqlite:SessionCacheSeconds", "300.5", "Storage__Sqlite__SessionCacheSeconds")]
    [InlineData("Storage:Sqlite:LastSeenWriteIntervalSeconds", "301", "Storage__Sqlite__LastSeenWriteIntervalSeconds")]
    [InlineData("Storage:Sqlite:RevocationCheckSeconds", "-0.25", "Storage__Sqlite__RevocationCheckSeconds")]
    [InlineData("Storage:Sqlite:RevocationCheckSeconds", "61", "Storage__Sqlite__RevocationCheckSeconds")]
    [InlineData("Storage:Redis:SessionCacheSeconds", "-1", "Storage__Redis__SessionCacheSeconds")]
    [InlineData("Storage:Redis:LastSeenWriteIntervalSeconds", "301", "Storage__Redis__LastSeenWriteIntervalSeconds")]
    [InlineData("Storage:Redis:KeyPrefix", "pwl:{a}:", "Storage__Redis__KeyPrefix")]
    [InlineData("Storage:Redis:KeyPrefix", "pwl}", "Storage__Redis__KeyPrefix")]
    public async Task ABadOrRenamedStorageSettingStopsStartUpNamingTheSettingToUse(string key, string value, string named)
    {
        var error = await StartupFailure.OfAsync(() => new BffFactory(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionCacheTimeMayBeAFractionOfASecond()
    {
        await using var factory = new BffFactory(new Dictionary<string, string?> { ["Storage:Sqlite:SessionCacheSeconds"] = "0.5" });

        Assert.Equal(0.5, factory.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Sqlite.SessionCacheSeconds);
    }
}
