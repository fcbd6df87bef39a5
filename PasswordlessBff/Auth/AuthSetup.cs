using FluentValidation;

namespace PasswordlessBff.Auth;

public static class AuthSetup
{
    // The sign-in endpoints' own pieces: request validation, returnTo policy, browser binding, the step that turns
    // a checked credential into a session, and the metrics and audit events of each step.
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddValidatorsFromAssemblyContaining<SendRequestValidator>(ServiceLifetime.Singleton);
        services.AddSingleton<ReturnToPolicy>();
        services.AddSingleton<BrowserBinding>();
        services.AddSingleton<SignIn>();
        services.AddSingleton<CrossDeviceApproval>();
        services.AddSingleton<AuditPseudonyms>();
        services.AddSingleton<AuthMetrics>();
        services.AddSingleton<AuthEvents>();
        return services;
    }
}
