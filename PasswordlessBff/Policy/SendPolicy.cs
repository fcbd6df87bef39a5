using PasswordlessBff.Auth;
using PasswordlessBff.Email;

namespace PasswordlessBff.Policy;

// Whether a sign-in email may go out, asked by the background sender before it composes anything, so neither the
// lists nor the hook's latency ever reach the send answer (SECURITY.md item 11). Refused, denied or unanswered: no
// email, audited and counted.
public sealed class SendPolicy(StaticPolicy rules, PolicyHookClient hook, PolicyMetrics metrics, AuditPseudonyms ids, ILoggerFactory loggers)
{
    private readonly ILogger _audit = loggers.CreateLogger(AuditLog.Category);

    public async Task<bool> MaySendAsync(LoginEmail email, EmailOrigin origin, CancellationToken ct)
    {
        if (!rules.Allows(email.To))
        {
            Refused(email, origin, SignInPolicy.StaticRule, "deny");
            return false;
        }
        if (!hook.Configured)
        {
            return true;
        }
        var data = new HookEventData(email.To, email.Template, email.State, email.Locale, origin.ClientAddress, origin.UserAgent);
        var answer = await hook.CallAsync(PolicyHookClient.SendEvent, data, ct);
        if (answer is HookAnswer.Allowed)
        {
            return true;
        }
        Refused(email, origin, SignInPolicy.HookRule, PolicyMetrics.Outcome(answer));
        return false;
    }

    private void Refused(LoginEmail email, EmailOrigin origin, string rule, string outcome)
    {
        AuditLog.PolicyRefused(_audit, "send", ids.Account(email.To), ids.Client(origin.ClientAddress), rule, outcome, origin.CorrelationId);
        metrics.Refused("send", rule, outcome);
    }
}
