using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PasswordlessBff.Telemetry;

// Latency and a span for every call that leaves the process (SMTP, Scalekit, Redis), tagged the same way for all.
public sealed class UpstreamMetrics
{
    public const string MeterName = "PasswordlessBff.Upstream";

    private readonly Histogram<double> _duration;
    private readonly TimeProvider _time;

    public UpstreamMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        _duration = meters.Create(MeterName).CreateHistogram("passwordless.upstream.duration", unit: "s",
            description: "Time one call to SMTP, Scalekit or Redis took", tags: null, advice: Tracing.LatencyBuckets);
    }

    public long Start() => _time.GetTimestamp();

    // outcome: ok (answered), refused (answered no, e.g. a 4xx) or error (unreachable, timed out, 5xx).
    public void Record(string upstream, string operation, long started, string outcome) =>
        _duration.Record(_time.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("upstream", upstream),
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", outcome));

    public static Activity? StartActivity(string upstream, string operation)
    {
        var activity = Tracing.Source.StartActivity($"{upstream} {operation}", ActivityKind.Client);
        activity?.SetTag("peer.service", upstream);
        return activity;
    }

    public static void Fail(Activity? activity, string outcome) =>
        activity?.SetStatus(ActivityStatusCode.Error, outcome);
}
