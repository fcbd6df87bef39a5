using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace PasswordlessBff.Policy;

public static class PolicySetup
{
    // Who may sign in and which user they are: the static lists, the team's signed hook (one attempt under a timeout,
    // never retried: a call that may have reached the hook is not repeated), and the two places that ask them.
    public static IServiceCollection AddPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddSingleton<StaticPolicy>();
        services.AddSingleton<PolicyMetrics>();
        services.AddSingleton<SignInPolicy>();
        services.AddSingleton<SendPolicy>();

        services.AddHttpClient<PolicyHookClient>(PolicyHookClient.HttpClientName, http => http.DefaultRequestHeaders.UserAgent.ParseAdd("PasswordlessBff"))
            // A redirect would carry the signed event somewhere else: the hook answers where it is configured. The policy
            // singletons keep their client, so pooled connections are renewed here to follow DNS changes.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .AddResilienceHandler("policy-hook", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<PolicyOptions>>().Value;
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.AddTimeout(TimeSpan.FromMilliseconds(settings.Hook.TimeoutMilliseconds));
            });
        return services;
    }
}
