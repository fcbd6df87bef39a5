using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Options;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Storage.Redis;

public static class RedisStoreSetup
{
    private const string DataProtectionKeys = "data-protection-keys";

    public static IServiceCollection AddRedisStore(this IServiceCollection services)
    {
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<RedisRevocations>();
        services.AddSingleton<ISessionCacheRule>(sp => sp.GetRequiredService<RedisRevocations>());
        services.AddSingleton<SessionCache>();
        services.AddSingleton<RedisLegacyLayout>();
        services.AddSingleton<IStoreMaintenance, RedisStoreMaintenance>();
        services.AddSingleton<ILoginStore, RedisLoginStore>();
        services.AddSingleton<IEmailJobStore, RedisEmailJobStore>();
        services.AddSingleton<ISessionStore, RedisSessionStore>();
        services.AddSingleton<IDevSigningKeyStore, RedisDevSigningKeyStore>();

        // Binding-cookie keys are shared, so a link sent through one instance completes on any other.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository =
                new RedisXmlRepository(() => sp.GetRequiredService<RedisConnection>().Database, DataProtectionKeys)));
        return services;
    }
}
