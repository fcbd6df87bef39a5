using Microsoft.Extensions.Options;

namespace PasswordlessBff.Admin;

public static class AdminSetup
{
    // The server-to-server admin API's keys, validated at start-up; its routes exist only when a key is configured.
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<AdminKeys>();
        return services;
    }
}
