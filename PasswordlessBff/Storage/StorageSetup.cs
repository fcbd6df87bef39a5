using Microsoft.AspNetCore.DataProtection;
using PasswordlessBff.Storage.Redis;
using PasswordlessBff.Storage.Sqlite;

namespace PasswordlessBff.Storage;

public static class StorageSetup
{
    public static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Sqlite.Path), "Storage__Sqlite__Path must name a database file, e.g. data/passwordless.db.")
            .Validate(o => o.SweepIntervalSeconds >= 1 && o.RetainExpiredLoginsSeconds >= 0, "Storage__SweepIntervalSeconds must be at least 1 and Storage__RetainExpiredLoginsSeconds not negative.")
            .Validate(o => o.Provider != StorageProviderKind.Redis || !string.IsNullOrWhiteSpace(o.Redis.Configuration),
                "Storage__Redis__Configuration is missing; with Storage__Provider=Redis set it to a StackExchange.Redis configuration string, e.g. redis:6379,password=….")
            .Validate(o => o.Provider != StorageProviderKind.Redis || string.IsNullOrWhiteSpace(o.Redis.Configuration) || IsRedisConfiguration(o.Redis.Configuration),
                "Storage__Redis__Configuration is not a StackExchange.Redis configuration string; use host:port[,option=value…], e.g. redis:6379,ssl=true.")
            // A brace would become (part of) a cluster hash tag and move keys into slots the scripts do not expect.
            .Validate(o => !o.Redis.KeyPrefix.Contains('{') && !o.Redis.KeyPrefix.Contains('}'),
                "Storage__Redis__KeyPrefix must not contain '{' or '}' (they would form a Redis Cluster hash tag), e.g. pwl:.")
            .Validate(o => o.Redis.SessionCacheSeconds is >= 0 and <= 300 && o.Redis.LastSeenWriteIntervalSeconds is >= 0 and <= 300,
                "Storage__Redis__SessionCacheSeconds and Storage__Redis__LastSeenWriteIntervalSeconds must be between 0 and 300.")
            .Validate(o => o.Sqlite.SessionCacheSeconds is >= 0 and <= 300 && o.Sqlite.LastSeenWriteIntervalSeconds is >= 0 and <= 300,
                "Storage__Sqlite__SessionCacheSeconds and Storage__Sqlite__LastSeenWriteIntervalSeconds must be between 0 and 300 (seconds; fractions such as 0.25 are fine).")
            .Validate(o => o.Sqlite.RevocationCheckSeconds is >= 0 and <= 60,
                "Storage__Sqlite__RevocationCheckSeconds must be between 0 and 60 (seconds; fractions such as 0.25 are fine): the bound on a revocation made outside this process.")
            // A renamed setting is refused by its old name rather than silently ignored.
            .Validate(_ => configuration["Storage:Sqlite:SessionCacheMilliseconds"] is null,
                "Storage__Sqlite__SessionCacheMilliseconds has been renamed: set Storage__Sqlite__SessionCacheSeconds instead, in seconds (250 ms is 0.25).")
            .ValidateOnStart();

        // Sqlite: embedded, one instance. Redis: shared by several instances behind a load balancer.
        _ = configuration.UsesRedis() ? services.AddRedisStore() : services.AddSqliteStore();
        services.AddHostedService<StoreHousekeeping>();
        services.AddDataProtection().SetApplicationName("PasswordlessBff").ProtectKeysWithConfiguredCertificate(configuration, environment);
        return services;
    }

    public static bool UsesRedis(this IConfiguration configuration) =>
        configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.Provider == StorageProviderKind.Redis;

    private static bool IsRedisConfiguration(string configuration)
    {
        try
        {
            return RedisConnection.Configure(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
