using Microsoft.Extensions.Diagnostics.HealthChecks;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Passwordless.Scalekit;

// Ready when Scalekit's token endpoint answers our credentials: the cheapest call that proves the upstream path.
internal sealed class ScalekitHealthCheck(ScalekitTokenClient tokens) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await tokens.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy("Scalekit's token endpoint answers.");
        }
        catch (DependencyUnavailableException)
        {
            return HealthCheckResult.Unhealthy("Scalekit's token endpoint does not answer.");
        }
    }
}
