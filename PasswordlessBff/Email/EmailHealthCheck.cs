using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PasswordlessBff.Email;

// Readiness of the email path: the SMTP server answers (or mail goes to the dev mailbox).
internal sealed class EmailHealthCheck(IEmailTransport transport) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await transport.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy(transport is DevMailbox ? "Mail goes to the dev mailbox." : "The SMTP server answers.");
        }
        catch (EmailDeliveryException)
        {
            return HealthCheckResult.Unhealthy("The SMTP server does not answer.");
        }
    }
}
