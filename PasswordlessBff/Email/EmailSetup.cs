using Microsoft.Extensions.Options;

namespace PasswordlessBff.Email;

public static class EmailSetup
{
    public static IServiceCollection AddLoginEmail(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton<LoginEmailComposer>();
        services.AddSingleton<EmailOutbox>();
        services.AddHostedService<EmailDispatcher>();

        var smtpConfigured = !string.IsNullOrWhiteSpace(configuration[$"{EmailOptions.SectionName}:Smtp:Host"]);
        if (!smtpConfigured && environment.IsDevelopment())
        {
            services.AddSingleton<DevMailbox>();
            services.AddSingleton<IEmailTransport>(sp => sp.GetRequiredService<DevMailbox>());
        }
        else
        {
            services.AddSingleton<IEmailTransport, SmtpEmailTransport>();
        }
        return services;
    }

    public static bool UsesDevMailbox(this IServiceProvider services) => services.GetService<DevMailbox>() is not null;
}
