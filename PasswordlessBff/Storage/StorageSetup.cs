using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using PasswordlessBff.Storage.Sqlite;

namespace PasswordlessBff.Storage;

public static class StorageSetup
{
    public static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Sqlite.Path), "Storage__Sqlite__Path must name a database file, e.g. data/passwordless.db.")
            .Validate(o => o.SweepIntervalSeconds >= 1 && o.RetainExpiredLoginsSeconds >= 0, "Storage__SweepIntervalSeconds must be at least 1 and Storage__RetainExpiredLoginsSeconds not negative.")
            .ValidateOnStart();
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IStoreMaintenance>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<ILoginStore, SqliteLoginStore>();
        services.AddSingleton<ISessionStore, SqliteSessionStore>();
        services.AddSingleton<SqliteKeyRepository>();
        services.AddHostedService<StoreHousekeeping>();

        // Binding-cookie keys persist with the data, so a link sent before a restart still works after it.
        services.AddDataProtection().SetApplicationName("PasswordlessBff");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<SqliteKeyRepository>()));
        return services;
    }
}
