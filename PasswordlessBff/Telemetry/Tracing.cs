using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PasswordlessBff.Telemetry;

// The service's own spans (provider and upstream calls) come from one ActivitySource.
public static class Tracing
{
    public const string SourceName = "PasswordlessBff";

    public static readonly ActivitySource Source = new(SourceName);

    // Seconds-based buckets for the latency histograms (the exporters' defaults suit milliseconds).
    public static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };
}
