using System.Diagnostics.Metrics;

namespace PasswordlessBff.Email;

// Counters for the life of every sign-in email, so a dropped message is visible on a dashboard, not only in a log.
public sealed class EmailMetrics
{
    public const string MeterName = "PasswordlessBff.Email";

    public EmailMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Queued = meter.CreateCounter<long>("passwordless.emails.queued", description: "Sign-in emails handed to the background sender");
        Sent = meter.CreateCounter<long>("passwordless.emails.sent", description: "Sign-in emails the SMTP server accepted");
        Retried = meter.CreateCounter<long>("passwordless.emails.retried", description: "Delivery attempts retried after a transient failure");
        Dropped = meter.CreateCounter<long>("passwordless.emails.dropped", description: "Sign-in emails given up on");
        QueueWait = meter.CreateHistogram<double>("passwordless.emails.queue_wait", unit: "ms", description: "Time from queueing to delivery");
    }

    public Counter<long> Queued { get; }
    public Counter<long> Sent { get; }
    public Counter<long> Retried { get; }
    public Counter<long> Dropped { get; }
    public Histogram<double> QueueWait { get; }
}
