using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Sessions;

public static class SessionSetup
{
    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SessionOptions>, SessionOptionsValidator>();
        // The store may have registered a shared one (Redis); otherwise Development keeps its key in a file.
        services.TryAddSingleton<IDevSigningKeyStore, DevSigningKeyFile>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<SessionService>();
        return services;
    }
}
