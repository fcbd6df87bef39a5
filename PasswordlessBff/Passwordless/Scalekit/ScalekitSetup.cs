using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using PasswordlessBff.Health;

namespace PasswordlessBff.Passwordless.Scalekit;

public static class ScalekitSetup
{
    public static IServiceCollection AddScalekit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScalekitOptions>().Bind(configuration.GetSection(ScalekitOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<ScalekitOptions>, ScalekitEnvironmentVariables>();
        services.AddSingleton<IValidateOptions<ScalekitOptions>, ScalekitOptionsValidator>();

        // The token call can be repeated safely: it changes nothing upstream.
        services.AddSingleton<ScalekitTokenClient>();
        services.AddHttpClient(ScalekitTokenClient.HttpClientName, ConfigureBaseAddress)
            .AddResilienceHandler("scalekit-token", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<ScalekitOptions>>().Value;
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline
                    .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(200), BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                    .AddTimeout(TimeSpan.FromSeconds(settings.TokenTimeoutSeconds));
            });

        // Send, resend and verify are never retried: a second send is a second email, a second verify burns the credential.
        services.AddHttpClient<ScalekitClient>(ConfigureBaseAddress)
            .AddResilienceHandler("scalekit-api", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<ScalekitOptions>>().Value;
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = settings.BreakAfterFailures,
                        SamplingDuration = TimeSpan.FromSeconds(30),
                        BreakDuration = TimeSpan.FromSeconds(settings.BreakSeconds),
                        // A 429 is one address over its limit, not an outage: it must not open the circuit for everyone.
                        ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                        {
                            { Exception: { } e } => e is HttpRequestException or Polly.Timeout.TimeoutRejectedException,
                            { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
                            _ => false,
                        }),
                    })
                    .AddTimeout(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            });

        // Transient: each provider gets a client from the factory, so handlers rotate as the factory intends.
        services.AddSingleton<ScalekitAnswerShape>();
        services.AddTransient<IPasswordlessProvider, ScalekitProvider>();
        services.AddHealthChecks().AddCheck<ScalekitHealthCheck>("scalekit", tags: [HealthApi.ReadyTag]);
        return services;
    }

    private static void ConfigureBaseAddress(IServiceProvider services, HttpClient http)
    {
        http.BaseAddress = services.GetRequiredService<IOptions<ScalekitOptions>>().Value.EnvironmentUri;
        http.DefaultRequestHeaders.UserAgent.ParseAdd("PasswordlessBff");
    }
}
