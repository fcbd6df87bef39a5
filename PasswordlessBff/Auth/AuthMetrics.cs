using System.Diagnostics;
using System.Diagnostics.Metrics;
using PasswordlessBff.Telemetry;

namespace PasswordlessBff.Auth;

// Counters for every step of a sign-in, tagged with the outcome `code` (success or the API error code).
public sealed class AuthMetrics
{
    public const string MeterName = "PasswordlessBff.Auth";
    public const string Success = "success";

    private readonly Counter<long> _sends;
    private readonly Counter<long> _resends;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _logouts;
    private readonly Histogram<double> _verificationDuration;

    public AuthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _sends = meter.CreateCounter<long>("passwordless.sends", description: "Sign-in requests (send), by outcome code");
        _resends = meter.CreateCounter<long>("passwordless.resends", description: "Resend requests, by outcome code");
        _verifications = meter.CreateCounter<long>("passwordless.verifications", description: "Code and link verifications, by method and outcome code");
        _rateLimited = meter.CreateCounter<long>("passwordless.rate_limit.rejections", description: "Requests refused by a rate limit, by limit");
        _logouts = meter.CreateCounter<long>("passwordless.logouts", description: "Sign-outs");
        _verificationDuration = meter.CreateHistogram("passwordless.verification.duration", unit: "s",
            description: "Time to verify a code or link, session creation included", tags: null, advice: Tracing.LatencyBuckets);
    }

    public void Send(string code) => _sends.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Resend(string code) => _resends.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Verification(string method, string code, TimeSpan duration)
    {
        var tags = new TagList { { "method", method }, { "code", code } };
        _verifications.Add(1, tags);
        _verificationDuration.Record(duration.TotalSeconds, tags);
    }

    // limit: client-send, client-verify (per client address) or address (per email address).
    public void RateLimited(string limit) => _rateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void Logout() => _logouts.Add(1);
}
