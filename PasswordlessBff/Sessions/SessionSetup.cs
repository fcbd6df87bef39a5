using Microsoft.AspNetCore.Authorization;
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
        services.AddSingleton<DerivedUserIds>();
        services.AddSingleton<SessionService>();

        // The session as an authentication scheme, and RequireSession() as the policy that asks for it. No default
        // authenticate scheme: only protected routes read the session, never every request.
        services.AddAuthentication(options =>
            {
                options.DefaultChallengeScheme = SessionAuthenticationHandler.SchemeName;
                options.DefaultForbidScheme = SessionAuthenticationHandler.SchemeName;
            })
            .AddScheme<SessionAuthenticationOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, _ => { });
        services.AddAuthorizationBuilder().AddPolicy(RequireSessionExtensions.PolicyName, RequireSessionExtensions.Policy());
        services.AddSingleton<IAuthorizationHandler, CsrfRequirement>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SessionAuthorizationResultHandler>();
        return services;
    }
}
