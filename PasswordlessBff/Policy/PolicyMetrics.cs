using System.Diagnostics;
using System.Diagnostics.Metrics;
using PasswordlessBff.Telemetry;

namespace PasswordlessBff.Policy;

// What the sign-in policy decided, by step (send, verify), rule (static, hook) and outcome; and how long the hook took.
public sealed class PolicyMetrics
{
    public const string MeterName = "PasswordlessBff.Policy";

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _hookDuration;

    public PolicyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>("passwordless.policy.refusals",
            description: "Sign-ins refused or held by the sign-in policy, by step, rule and outcome");
        _hookDuration = meter.CreateHistogram("passwordless.policy.hook.duration", unit: "s",
            description: "Time the sign-in policy hook took to answer, by event and outcome", tags: null, advice: Tracing.LatencyBuckets);
    }

    // outcome: deny, or unavailable when the hook gave no usable answer.
    public void Refused(string step, string rule, string outcome) =>
        _decisions.Add(1, new TagList { { "step", step }, { "rule", rule }, { "outcome", outcome } });

    public void HookCalled(string type, HookAnswer answer, TimeSpan duration) =>
        _hookDuration.Record(duration.TotalSeconds, new TagList { { "event", type }, { "outcome", Outcome(answer) } });

    public static string Outcome(HookAnswer answer) => answer switch
    {
        HookAnswer.Allowed => "allow",
        HookAnswer.Denied => "deny",
        _ => "unavailable",
    };
}
