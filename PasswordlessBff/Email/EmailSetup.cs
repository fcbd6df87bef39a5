using Microsoft.Extensions.Options;
using PasswordlessBff.Health;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Email;

public static class EmailSetup
{
    public static IServiceCollection AddLoginEmail(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // The email's language is chosen at send, whoever delivers it.
        services.AddSingleton<EmailLanguages>();
        // With Scalekit the sign-in emails are Scalekit's: no SMTP settings, email queue or mail health check here.
        if (PasswordlessSetup.ProviderKind(configuration) is PasswordlessProviderKind.Scalekit)
        {
            return services;
        }
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton<EmailTemplates>();
        services.AddSingleton<LoginEmailComposer>();
        services.AddSingleton<EmailMetrics>();
        services.AddHttpContextAccessor();
        services.AddSingleton<EmailJobPayload>();
        services.AddSingleton<EmailQueue>();
        services.AddHostedService<EmailDispatcher>();

        var smtpConfigured = !string.IsNullOrWhiteSpace(configuration.GetSection(EmailOptions.SectionName).Get<EmailOptions>()?.Smtp.Host);
        if (!smtpConfigured && environment.IsDevelopment())
        {
            services.AddSingleton<DevMailbox>();
            services.AddSingleton<IEmailTransport>(sp => sp.GetRequiredService<DevMailbox>());
        }
        else
        {
            services.AddSingleton<IEmailTransport, SmtpEmailTransport>();
        }
        services.AddHealthChecks()
            .AddCheck<EmailHealthCheck>("email", tags: [HealthApi.ReadyTag])
            .AddCheck<EmailQueueHealthCheck>("email-queue", tags: [HealthApi.ReadyTag]);
        return services;
    }

    public static bool UsesDevMailbox(this IServiceProvider services) => services.GetService<DevMailbox>() is not null;
}
