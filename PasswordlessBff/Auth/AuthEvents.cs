using System.Diagnostics;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;
using PasswordlessBff.Storage;
using PasswordlessBff.Telemetry;

namespace PasswordlessBff.Auth;

// Turns each sign-in step into its metrics and its audit event, so the endpoints say what happened in one line.
public sealed class AuthEvents(AuthMetrics metrics, AuditPseudonyms ids, ILoginStore logins, ILoggerFactory loggers, TimeProvider time)
{
    private readonly ILogger _audit = loggers.CreateLogger(AuditLog.Category);

    public static Activity? StartActivity(string step) => Tracing.Source.StartActivity($"passwordless {step}");

    public long Start() => time.GetTimestamp();

    public void Sent(HttpContext context, string email, SendResult result)
    {
        var code = Code(result);
        metrics.Send(code);
        var (account, client, correlation) = (ids.Account(email), ids.Client(context), AuditPseudonyms.Correlation(context));
        if (result is SendResult.Sent sent)
        {
            var login = ids.Login(sent.Ticket.LoginId);
            AuditLog.LoginStarted(_audit, account, client, login, code, correlation);
            return;
        }
        CountAddressLimit(code);
        AuditLog.SendRefused(_audit, "send", account, client, AuditPseudonyms.Unknown, code, correlation);
    }

    public async Task ResentAsync(HttpContext context, string? loginId, SendResult result, CancellationToken ct)
    {
        var code = Code(result);
        metrics.Resend(code);
        var account = ids.Account(await EmailOfAsync(loginId, ct));
        var (client, login, correlation) = (ids.Client(context), ids.Login(loginId), AuditPseudonyms.Correlation(context));
        if (result is SendResult.Sent)
        {
            AuditLog.LoginResent(_audit, account, client, login, code, correlation);
            return;
        }
        CountAddressLimit(code);
        AuditLog.SendRefused(_audit, "resend", account, client, login, code, correlation);
    }

    // method: code or link. A failure looks the login up once more only to name its account in the audit event.
    public async Task VerifiedAsync(HttpContext context, string method, string? loginId, VerifyResult result, long started, CancellationToken ct)
    {
        var (code, email) = result switch
        {
            VerifyResult.Verified verified => (AuthMetrics.Success, verified.Login.Email),
            VerifyResult.Failed failed => (failed.Failure.Error.Code, await EmailOfAsync(loginId, ct)),
            _ => throw new UnreachableException(),
        };
        metrics.Verification(method, code, time.GetElapsedTime(started));
        var login = result is VerifyResult.Verified { Login.LoginId.Length: > 0 } ok ? ok.Login.LoginId : loginId;
        var (account, client, loginRef, correlation) = (ids.Account(email), ids.Client(context), ids.Login(login), AuditPseudonyms.Correlation(context));
        if (code == AuthMetrics.Success)
        {
            AuditLog.LoginVerified(_audit, method, account, client, loginRef, code, correlation);
        }
        else if (code == ApiError.TooManyAttempts.Code)
        {
            AuditLog.LoginLocked(_audit, method, account, client, loginRef, code, correlation);
        }
        else
        {
            AuditLog.LoginFailed(_audit, method, account, client, loginRef, code, correlation);
        }
    }

    // decision: approved, wrong_number or refused, by the browser that opened the link (not the one that asked).
    public void ApprovalDecided(HttpContext context, PendingLogin login, string decision, string outcome)
    {
        var (account, client, loginRef, correlation) = (ids.Account(login.Email), ids.Client(context), ids.Login(login.Id), AuditPseudonyms.Correlation(context));
        AuditLog.ApprovalDecided(_audit, decision, account, client, loginRef, outcome, correlation);
    }

    public void LoggedOut(HttpContext context, ActiveSession session)
    {
        metrics.Logout();
        var (account, client, sessionRef, correlation) = (ids.Account(session.Email), ids.Client(context), ids.Session(session.Id), AuditPseudonyms.Correlation(context));
        AuditLog.LoggedOut(_audit, account, client, sessionRef, AuthMetrics.Success, correlation);
    }

    // count sessions of one account revoked at once (one, or all); sessionId when exactly one was named.
    public void Revoked(HttpContext context, string email, string? sessionId, int count)
    {
        var (account, client, sessionRef, correlation) = (ids.Account(email), ids.Client(context), ids.Session(sessionId), AuditPseudonyms.Correlation(context));
        AuditLog.SessionRevoked(_audit, count, account, client, sessionRef, AuthMetrics.Success, correlation);
    }

    // The team's server ended every session of a user id or an address.
    public void AdminRevoked(HttpContext context, SessionOwner owner, int count, string keyRef)
    {
        var (subject, subjectId) = owner.UserId is { } userId ? ("user", ids.Opaque("user", userId)) : ("account", ids.Account(owner.Email));
        var correlation = AuditPseudonyms.Correlation(context);
        AuditLog.AdminRevoked(_audit, count, subject, subjectId, keyRef, AuthMetrics.Success, correlation);
    }

    private static string Code(SendResult result) =>
        result is SendResult.Failed failed ? failed.Failure.Error.Code : AuthMetrics.Success;

    private void CountAddressLimit(string code)
    {
        if (code == ApiError.RateLimited.Code)
        {
            metrics.RateLimited("address");
        }
    }

    private async Task<string?> EmailOfAsync(string? loginId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(loginId))
        {
            return null;
        }
        try
        {
            return (await logins.GetLoginAsync(loginId, ct))?.Email;
        }
        catch (DependencyUnavailableException)
        {
            // The store is down: the event still goes out, without the account.
            return null;
        }
    }
}
