using Microsoft.Extensions.Options;

namespace PasswordlessBff.Sessions;

public static class SessionSetup
{
    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SessionOptions>, SessionOptionsValidator>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<SessionService>();
        return services;
    }
}
