using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PasswordlessBff.Auth;
using PasswordlessBff.Email;

namespace PasswordlessBff.Telemetry;

public static class TelemetrySetup
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<UpstreamMetrics>();

        // Exporters only when asked for: Prometheus by Telemetry__Prometheus=true, OTLP by the standard variable.
        var prometheus = PrometheusEnabled(configuration);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        if (!prometheus && !otlp)
        {
            return services;
        }
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "passwordless-bff"));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(AuthMetrics.MeterName, EmailMetrics.MeterName, UpstreamMetrics.MeterName, Policy.PolicyMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation();
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(Tracing.SourceName)
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !IsProbe(context.Request.Path);
                    // A magic link's query string is a secret: spans keep the route, never the query.
                    options.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
        return services;
    }

    // /metrics when Telemetry__Prometheus=true; nothing otherwise.
    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder routes, IConfiguration configuration)
    {
        if (PrometheusEnabled(configuration))
        {
            routes.MapPrometheusScrapingEndpoint();
        }
        return routes;
    }

    private static bool PrometheusEnabled(IConfiguration configuration) =>
        configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>()?.Prometheus ?? false;

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
