using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Email;

// Readiness of the email queue: no due email has waited longer than Email__QueueStalledSeconds for a worker. A queue
// that stopped moving (every sender stuck or gone) shows here even while SMTP and the store answer.
internal sealed class EmailQueueHealthCheck(IEmailJobStore jobs, EmailMetrics metrics, IOptions<EmailOptions> options, TimeProvider time)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        EmailQueueStats stats;
        try
        {
            stats = await jobs.StatsAsync(time.GetUtcNow(), cancellationToken);
        }
        catch (Errors.DependencyUnavailableException)
        {
            return HealthCheckResult.Unhealthy("The email queue's store does not answer.");
        }
        metrics.Stats = stats;
        var waited = (long)stats.OldestDueAge.TotalSeconds;
        return stats.OldestDueAge > TimeSpan.FromSeconds(options.Value.QueueStalledSeconds)
            ? HealthCheckResult.Unhealthy($"The email queue has not moved: a due email has waited {waited} s ({stats.Depth} queued).")
            : HealthCheckResult.Healthy($"The email queue moves ({stats.Depth} queued).");
    }
}
