using FluentValidation;
using Microsoft.Extensions.Options;
using PasswordlessBff.Auth;
using PasswordlessBff.Passwordless.BuiltIn;

namespace PasswordlessBff.Passwordless;

public static class PasswordlessSetup
{
    public static IServiceCollection AddPasswordless(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PasswordlessOptions>().Bind(configuration.GetSection(PasswordlessOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PasswordlessOptions>, PasswordlessOptionsValidator>();
        services.AddValidatorsFromAssemblyContaining<SendRequestValidator>(ServiceLifetime.Singleton);
        services.AddSingleton<ReturnToPolicy>();
        services.AddSingleton<BrowserBinding>();
        services.AddSingleton<CredentialHasher>();
        services.AddSingleton<IPasswordlessProvider, BuiltInProvider>();
        return services;
    }
}
