using System.Diagnostics.Metrics;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Email;

// Counters for the life of every sign-in email, so a dropped message is visible on a dashboard, not only in a log.
public sealed class EmailMetrics
{
    public const string MeterName = "PasswordlessBff.Email";

    private EmailQueueStats _stats = new(0, TimeSpan.Zero);

    public EmailMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Queued = meter.CreateCounter<long>("passwordless.emails.queued", description: "Sign-in emails handed to the background sender");
        Sent = meter.CreateCounter<long>("passwordless.emails.sent", description: "Sign-in emails the SMTP server accepted");
        Retried = meter.CreateCounter<long>("passwordless.emails.retried", description: "Delivery attempts retried after a transient failure");
        Dropped = meter.CreateCounter<long>("passwordless.emails.dropped", description: "Sign-in emails given up on, by reason");
        QueueWait = meter.CreateHistogram<double>("passwordless.emails.queue_wait", unit: "ms", description: "Time from queueing to delivery");
        // Measured from the store by the sender about once a second; the same for every instance on one store.
        meter.CreateObservableGauge("passwordless.emails.queue_depth", () => Stats.Depth, description: "Sign-in emails in the queue, not yet finished");
        meter.CreateObservableGauge("passwordless.emails.queue_age", () => Stats.OldestDueAge.TotalSeconds, unit: "s",
            description: "How long the longest-waiting due email has waited for a worker");
    }

    public Counter<long> Queued { get; }
    public Counter<long> Sent { get; }
    public Counter<long> Retried { get; }
    public Counter<long> Dropped { get; }
    public Histogram<double> QueueWait { get; }

    public EmailQueueStats Stats
    {
        get => Volatile.Read(ref _stats);
        internal set => Volatile.Write(ref _stats, value);
    }
}
