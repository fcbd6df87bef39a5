using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Storage.Sqlite;

public static class SqliteStoreSetup
{
    public static IServiceCollection AddSqliteStore(this IServiceCollection services)
    {
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IStoreMaintenance>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<ILoginStore, SqliteLoginStore>();
        services.AddSingleton<IEmailJobStore, SqliteEmailJobStore>();
        services.AddSingleton<ISessionCacheRule, SqliteCacheRule>();
        services.AddSingleton<SessionCache>();
        services.AddSingleton<SqliteSessionChanges>();
        services.AddSingleton<SqliteLastSeenWrites>();
        services.AddSingleton<ISessionStore, SqliteSessionStore>();
        services.AddSingleton<SqliteKeyRepository>();
        services.AddHostedService<SqliteCheckpoints>();

        // Binding-cookie keys persist with the data, so a link sent before a restart still works after it.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<SqliteKeyRepository>()));
        return services;
    }
}
