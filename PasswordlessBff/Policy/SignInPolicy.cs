using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Policy;

// What the sign-in policy says of a verified login, before it is consumed.
public abstract record VerifyDecision
{
    private VerifyDecision() { }

    public sealed record Allowed(SessionUser User) : VerifyDecision;

    // Refused by the static lists or the hook: the login ends, no session (403 sign_in_not_allowed).
    public sealed record Refused(string Rule) : VerifyDecision;

    // The hook gave no usable answer: the login stays usable (503 upstream_unavailable).
    public sealed record Unavailable : VerifyDecision;
}

// The static lists, then the hook: before an email goes out (SendPolicy) and after a code or link checked out.
public sealed class SignInPolicy(StaticPolicy rules, PolicyHookClient hook, DerivedUserIds userIds, PolicyMetrics metrics)
{
    public const string StaticRule = "static";
    public const string HookRule = "hook";

    public bool HookConfigured => hook.Configured;

    public async Task<VerifyDecision> DecideAtVerifyAsync(HttpContext context, VerifiedLogin login, CancellationToken ct)
    {
        // Checked at send already; again here because the lists may have changed while the email was on its way.
        if (!rules.Allows(login.Email))
        {
            metrics.Refused("verify", StaticRule, "deny");
            return new VerifyDecision.Refused(StaticRule);
        }
        if (!hook.Configured)
        {
            return new VerifyDecision.Allowed(Derived(login.Email));
        }
        var data = new HookEventData(login.Email, login.Template, login.State, login.Locale ?? "en",
            context.Connection.RemoteIpAddress?.ToString(), UserAgent(context.Request.Headers.UserAgent.ToString()));
        switch (await hook.CallAsync(PolicyHookClient.VerifyEvent, data, ct))
        {
            case HookAnswer.Allowed allowed:
                return new VerifyDecision.Allowed(new SessionUser(allowed.UserId ?? userIds.For(login.Email), allowed.Roles, allowed.Claims));
            case HookAnswer.Denied:
                metrics.Refused("verify", HookRule, "deny");
                return new VerifyDecision.Refused(HookRule);
            default:
                metrics.Refused("verify", HookRule, "unavailable");
                return new VerifyDecision.Unavailable();
        }
    }

    public static string? UserAgent(string agent) => agent.Length == 0 ? null : agent[..Math.Min(agent.Length, 256)];

    private SessionUser Derived(string email) => new(userIds.For(email), [], new Dictionary<string, string>());
}
