using Microsoft.Extensions.Options;
using PasswordlessBff.Passwordless.BuiltIn;
using PasswordlessBff.Passwordless.Scalekit;

namespace PasswordlessBff.Passwordless;

public static class PasswordlessSetup
{
    public static IServiceCollection AddPasswordless(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PasswordlessOptions>().Bind(configuration.GetSection(PasswordlessOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PasswordlessOptions>, PasswordlessOptionsValidator>();
        services.AddSingleton<CredentialHasher>();

        // Who issues and checks links and codes: this service, or Scalekit's hosted API.
        if (ProviderKind(configuration) is PasswordlessProviderKind.Scalekit)
        {
            services.AddScalekit(configuration);
        }
        else
        {
            services.AddSingleton<IPasswordlessProvider, BuiltInProvider>();
        }
        return services;
    }

    public static PasswordlessProviderKind ProviderKind(IConfiguration configuration) =>
        (configuration.GetSection(PasswordlessOptions.SectionName).Get<PasswordlessOptions>() ?? new()).Provider;
}
