using Microsoft.Extensions.Options;
using PasswordlessBff.Auth;
using PasswordlessBff.Errors;
using PasswordlessBff.Limits;
using PasswordlessBff.Policy;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Passwordless.Scalekit;

// Scalekit issues, emails and checks the links and codes; we keep what Scalekit does not: returnTo, template, state.
public sealed partial class ScalekitProvider(
    ScalekitClient scalekit,
    ILoginStore store,
    StaticPolicy rules,
    EmailBudget emailBudget,
    ScalekitAnswerShape shape,
    PolicyMetrics policyMetrics,
    AuditPseudonyms ids,
    ILoggerFactory loggers,
    IOptions<PasswordlessOptions> options,
    TimeProvider time,
    ILogger<ScalekitProvider> logger) : IPasswordlessProvider
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(60);
    private readonly PasswordlessOptions _options = options.Value;

    public async Task<SendResult> SendAsync(SendCommand command, CancellationToken ct)
    {
        var started = ScalekitAnswerShape.Start();
        // Scalekit emails inside this request, so the static lists apply here, before Scalekit is called.
        if (!rules.Allows(command.Email))
        {
            return await RefusedAsync(command, started, ct);
        }
        var request = new ScalekitSendRequest(
            command.Email,
            command.Template == "signup" ? "SIGNUP" : "SIGNIN",
            MagicLink.VerifyUri(_options).AbsoluteUri,
            command.State,
            _options.ExpiresIn,
            TemplateVariables: command.TemplateVariables);
        var result = await scalekit.SendAsync(request, ct);
        if (result is ScalekitResult<ScalekitSendResponse>.Failed failed)
        {
            return new SendResult.Failed(SendFailure(failed.Error, resend: false));
        }
        var ticket = Ticket(((ScalekitResult<ScalekitSendResponse>.Ok)result).Value);
        shape.Observed(ticket.LoginId, ticket.Type, ScalekitAnswerShape.Since(started));
        // Scalekit hands back no returnTo: remember it, with template and state, under Scalekit's id.
        await store.CreateLoginAsync(PendingFor(command, ticket), ct);
        return new SendResult.Sent(ticket);
    }

    // A refused address: no Scalekit call and no email, but a stored login under an id shaped like Scalekit's, our own
    // per-address budget standing in for Scalekit's, and an answer as slow as a send.
    private async Task<SendResult> RefusedAsync(SendCommand command, long started, CancellationToken ct)
    {
        var ticket = new LoginTicket(shape.NewId(), time.GetUtcNow().AddSeconds(_options.ExpiresIn), shape.Type, _options.ResendAfter);
        var quota = await emailBudget.CreateLoginWithinAsync(PendingFor(command, ticket), email: null, ct);
        await shape.WaitLikeASendAsync(started, ct);
        AuditLog.PolicyRefused(loggers.CreateLogger(AuditLog.Category), "send", ids.Account(command.Email), AuditPseudonyms.Unknown,
            SignInPolicy.StaticRule, "deny", System.Diagnostics.Activity.Current?.TraceId.ToString() ?? AuditPseudonyms.Unknown);
        policyMetrics.Refused("send", SignInPolicy.StaticRule, "deny");
        return quota.Allowed
            ? new SendResult.Sent(ticket)
            : new SendResult.Failed(new ApiFailure(ApiError.RateLimited, quota.RetryAfter));
    }

    private PendingLogin PendingFor(SendCommand command, LoginTicket ticket) =>
        new(ticket.LoginId, command.Email, command.ReturnTo, command.Template, command.State, time.GetUtcNow(), ticket.ExpiresAt,
            Completed: false, FailedAttempts: 0, Credentials: []) { Locale = command.Locale, CodeChallenge = command.CodeChallenge };

    public async Task<SendResult> ResendAsync(string loginId, CancellationToken ct)
    {
        var login = await store.GetLoginAsync(loginId, ct);
        if (login is null || login.Completed)
        {
            // Not a login this service started (or one already finished): no email to spend on it.
            return new SendResult.Failed(ApiError.AuthRequestInvalid);
        }
        // resendAfter holds on the server, whoever sends the email.
        var slot = await store.TryClaimResendAsync(login.Id, time.GetUtcNow(), TimeSpan.FromSeconds(_options.ResendAfter), ct);
        if (!slot.Allowed)
        {
            return new SendResult.Failed(new ApiFailure(ApiError.RateLimited, slot.RetryAfter));
        }
        if (!rules.Allows(login.Email))
        {
            // A login started for a refused address exists only here: answer like a resend, send nothing.
            await store.AddCredentialsAsync(login.Id, [], login.ExpiresAt, email: null, ct);
            return new SendResult.Sent(new LoginTicket(login.Id, login.ExpiresAt, shape.Type, _options.ResendAfter));
        }
        var result = await scalekit.ResendAsync(new ScalekitResendRequest(loginId), ct);
        if (result is ScalekitResult<ScalekitSendResponse>.Failed failed)
        {
            return new SendResult.Failed(SendFailure(failed.Error, resend: true));
        }
        var ticket = Ticket(((ScalekitResult<ScalekitSendResponse>.Ok)result).Value);
        if (string.Equals(ticket.LoginId, login.Id, StringComparison.Ordinal))
        {
            await store.AddCredentialsAsync(login.Id, [], ticket.ExpiresAt, email: null, ct);
        }
        else
        {
            // Scalekit may answer a resend with a new id: the login lives on under that one.
            await store.CreateLoginAsync(login with
            {
                Id = ticket.LoginId, ExpiresAt = ticket.ExpiresAt, Credentials = [], LastSentAt = time.GetUtcNow(),
            }, ct);
        }
        return new SendResult.Sent(ticket);
    }

    public async Task<VerifyResult> VerifyCodeAsync(string loginId, string code, string? codeVerifier, CancellationToken ct)
    {
        var login = await store.GetLoginAsync(loginId, ct);
        if (login is null || login.Completed)
        {
            return Fail(ApiError.AuthRequestInvalid);
        }
        if (await Pkce.CheckAsync(store, login, codeVerifier, ct) is { } refused)
        {
            return Fail(refused);
        }
        var result = await scalekit.VerifyAsync(new ScalekitVerifyRequest(code, LinkToken: null, loginId), ct);
        return Verified(result, login, link: false);
    }

    public async Task<VerifyResult> VerifyLinkAsync(string linkToken, string? boundLoginId, string? codeVerifier, CancellationToken ct)
    {
        // Scalekit does not say which login a link belongs to: an app's verifier can only be checked with its id.
        if (codeVerifier is not null && boundLoginId is null)
        {
            return Fail(ApiError.AuthRequestInvalid);
        }
        PendingLogin? login = null;
        if (boundLoginId is not null)
        {
            login = await store.GetLoginAsync(boundLoginId, ct);
            if (login is null)
            {
                return Fail(ApiError.AuthRequestInvalid);
            }
            if (login.Completed)
            {
                return Fail(ApiError.CredentialInvalid);
            }
            if (await Pkce.CheckAsync(store, login, codeVerifier, ct) is { } refused)
            {
                return Fail(refused);
            }
        }
        // With the id, Scalekit completes the link only for the login this browser started.
        var result = await scalekit.VerifyAsync(new ScalekitVerifyRequest(Code: null, linkToken, boundLoginId), ct);
        return Verified(result, login, link: true);
    }

    // Scalekit has used up its side of the login by now; ours is consumed by CompleteAsync once the session is ready.
    private VerifyResult Verified(ScalekitResult<ScalekitVerifyResponse> result, PendingLogin? login, bool link)
    {
        if (result is ScalekitResult<ScalekitVerifyResponse>.Failed failed)
        {
            return Fail(VerifyFailure(failed.Error, link));
        }
        var verified = ((ScalekitResult<ScalekitVerifyResponse>.Ok)result).Value;
        // Scalekit's answer is the authority for who signed in, and it must be the address this login was sent to.
        if (!EmailAddress.TryCanonicalize(verified.Email, out var email)
            || (login is not null && !string.Equals(email, login.Email, StringComparison.Ordinal)))
        {
            LogEmailMismatch(logger);
            return Fail(ApiError.BrowserMismatch);
        }
        if (login is null)
        {
            // A link completed without its login id (enforcement off, another device): Scalekit does not say which
            // login it was, so the default returnTo applies.
            LogUnboundLink(logger);
            return new VerifyResult.Verified(new VerifiedLogin("", email, "/", Template(verified.Template), verified.State));
        }
        return new VerifyResult.Verified(new VerifiedLogin(login.Id, email, login.ReturnTo, login.Template, login.State) { Locale = login.Locale });
    }

    // An unbound link has no login of ours to consume; Scalekit's single use already holds for it.
    public async Task<bool> CompleteAsync(VerifiedLogin login, CancellationToken ct) =>
        login.LoginId.Length == 0
        || await store.TryCompleteLoginAsync(login.LoginId, PasswordlessOptions.MaxFailedAttempts, time.GetUtcNow(), ct);

    private LoginTicket Ticket(ScalekitSendResponse sent)
    {
        var expiresAt = sent.ExpiresAt > 0
            ? DateTimeOffset.FromUnixTimeSeconds(sent.ExpiresAt)
            : time.GetUtcNow().AddSeconds(sent.ExpiresIn > 0 ? sent.ExpiresIn : _options.ExpiresIn);
        var type = sent.PasswordlessType switch
        {
            "LINK" => PasswordlessType.Link,
            "OTP" => PasswordlessType.Otp,
            _ => PasswordlessType.LinkOtp,
        };
        return new LoginTicket(sent.AuthRequestId, expiresAt, type, _options.ResendAfter);
    }

    private static ApiFailure SendFailure(ScalekitError error, bool resend) => error.Kind switch
    {
        // Scalekit's per-address email limit: the same answer whether or not the address has an account.
        ScalekitErrorKind.TooManyRequests => new ApiFailure(ApiError.RateLimited, error.RetryAfter ?? DefaultRetryAfter),
        ScalekitErrorKind.Unavailable => ApiError.UpstreamUnavailable,
        _ when resend => ApiError.AuthRequestInvalid,
        _ => ApiError.UpstreamUnavailable,
    };

    private static ApiError VerifyFailure(ScalekitError error, bool link) => error.Kind switch
    {
        ScalekitErrorKind.CredentialExpired => ApiError.CredentialExpired,
        ScalekitErrorKind.AuthRequestInvalid => ApiError.AuthRequestInvalid,
        // Scalekit enforces the same browser but this link came without its login id: the code still works.
        ScalekitErrorKind.AuthRequestIdRequired => link ? ApiError.BrowserMismatch : ApiError.AuthRequestInvalid,
        ScalekitErrorKind.BrowserMismatch => ApiError.BrowserMismatch,
        ScalekitErrorKind.TooManyRequests => ApiError.TooManyAttempts,
        ScalekitErrorKind.Unavailable => ApiError.UpstreamUnavailable,
        _ => ApiError.CredentialInvalid,
    };

    private static string Template(string? scalekitTemplate) => scalekitTemplate == "SIGNUP" ? "signup" : "signin";

    private static VerifyResult.Failed Fail(ApiError error) => new(error);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Scalekit verified an address other than the one this login was sent to; no session")]
    private static partial void LogEmailMismatch(ILogger logger);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "A magic link was verified without its login id; returnTo falls back to /")]
    private static partial void LogUnboundLink(ILogger logger);
}
