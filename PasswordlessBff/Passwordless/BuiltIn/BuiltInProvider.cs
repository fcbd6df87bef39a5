using Microsoft.Extensions.Options;
using PasswordlessBff.Auth;
using PasswordlessBff.Email;
using PasswordlessBff.Errors;
using PasswordlessBff.Limits;
using PasswordlessBff.Storage;
using PasswordlessBff.Testing;

namespace PasswordlessBff.Passwordless.BuiltIn;

// This service issues and checks links and codes itself; only their keyed hashes are stored.
public sealed class BuiltInProvider(
    ILoginStore store,
    CredentialHasher hasher,
    EmailBudget emailBudget,
    WrongCodeGate gate,
    EmailQueue emails,
    TestAddresses testing,
    IOptions<PasswordlessOptions> options,
    TimeProvider time) : IPasswordlessProvider
{
    private readonly PasswordlessOptions _options = options.Value;

    public async Task<SendResult> SendAsync(SendCommand command, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var loginId = CredentialGenerator.NewLoginId();
        var issued = Issue(loginId, command.Email, now);
        var login = new PendingLogin(loginId, command.Email, command.ReturnTo, command.Template, command.State,
            now, issued.ExpiresAt, Completed: false, FailedAttempts: 0, issued.Credentials)
        {
            Locale = command.Locale,
            TemplateVariables = command.TemplateVariables,
            CodeChallenge = command.CodeChallenge,
            ApprovalNumber = CrossDeviceApproval.NewNumber(),
            AskedBy = command.AskedBy,
        };
        var (job, full) = Email(login, issued);
        if (full)
        {
            return new SendResult.Failed(ApiError.UpstreamUnavailable);
        }
        // Throttled the same way whether or not anyone has signed in with this address before. The email job is
        // committed with the login: one store write on the request path.
        var quota = await emailBudget.CreateLoginWithinAsync(login, job, ct);
        return quota.Allowed ? Queued(login, issued, job) : RateLimited(quota);
    }

    public async Task<SendResult> ResendAsync(string loginId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var login = await store.GetLoginAsync(loginId, ct);
        if (login is null || login.Completed || login.FailedAttempts >= PasswordlessOptions.MaxFailedAttempts || now >= login.ExpiresAt)
        {
            return new SendResult.Failed(ApiError.AuthRequestInvalid);
        }
        // resendAfter holds on the server too, so resends cannot multiply the codes a guess is tested against.
        var slot = await store.TryClaimResendAsync(login.Id, now, TimeSpan.FromSeconds(_options.ResendAfter), ct);
        if (!slot.Allowed)
        {
            return new SendResult.Failed(new ApiFailure(ApiError.RateLimited, slot.RetryAfter));
        }
        if (await TryCountEmailAsync(login.Email, now, ct) is { } limited)
        {
            return limited;
        }
        // Earlier links stay valid until they expire; the attempt counter is shared and never reset.
        var issued = Issue(login.Id, login.Email, now);
        var (job, full) = Email(login, issued);
        if (full)
        {
            return new SendResult.Failed(ApiError.UpstreamUnavailable);
        }
        await store.AddCredentialsAsync(login.Id, issued.Credentials, issued.ExpiresAt, job, ct);
        return Queued(login, issued, job);
    }

    public async Task<VerifyResult> VerifyCodeAsync(string loginId, string code, string? codeVerifier, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var login = await store.GetLoginAsync(loginId, ct);
        if (login is null || login.Completed)
        {
            return Fail(ApiError.AuthRequestInvalid);
        }
        if (login.FailedAttempts >= PasswordlessOptions.MaxFailedAttempts)
        {
            return Fail(ApiError.TooManyAttempts);
        }
        if (now >= login.ExpiresAt)
        {
            return Fail(ApiError.CredentialExpired);
        }
        if (await Pkce.CheckAsync(store, login, codeVerifier, ct) is { } refused)
        {
            return Fail(refused);
        }
        var passed = await gate.TryPassAsync(login.Email, now, ct);
        if (!passed.Allowed)
        {
            return new VerifyResult.Failed(new ApiFailure(ApiError.RateLimited, passed.RetryAfter));
        }
        var hash = hasher.HashCode(login.Id, code);
        // Compare against the two newest codes only (a late email still works for one resend), in fixed time,
        // without stopping at the first match.
        StoredCredential? match = null;
        foreach (var credential in NewestCodes(login))
        {
            if (CredentialHasher.Matches(credential.Hash, hash))
            {
                match = credential;
            }
        }
        if (match is null)
        {
            var failures = await store.RecordFailedAttemptAsync(login.Id, ct);
            await gate.RecordFailureAsync(login.Email, now, ct);
            return Fail(failures >= PasswordlessOptions.MaxFailedAttempts ? ApiError.TooManyAttempts : ApiError.CredentialInvalid);
        }
        if (now >= match.ExpiresAt)
        {
            return Fail(ApiError.CredentialExpired);
        }
        return Verified(login);
    }

    public async Task<VerifyResult> VerifyLinkAsync(string linkToken, string? boundLoginId, string? codeVerifier, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var owner = await store.FindLinkOwnerAsync(hasher.HashLink(linkToken), ct)
            ?? await KnownTestLinkOwnerAsync(linkToken, boundLoginId, ct);
        if (owner is null)
        {
            return Fail(ApiError.CredentialInvalid);
        }
        if (boundLoginId is not null && !string.Equals(owner.LoginId, boundLoginId, StringComparison.Ordinal))
        {
            // Another login's browser: consume nothing; the code still works, and with enforcement off the caller
            // asks for a deliberate confirmation (no login CSRF).
            return Fail(ApiError.BrowserMismatch);
        }
        var login = await store.GetLoginAsync(owner.LoginId, ct);
        if (login is null || login.Completed)
        {
            return Fail(ApiError.CredentialInvalid);
        }
        if (login.FailedAttempts >= PasswordlessOptions.MaxFailedAttempts)
        {
            return Fail(ApiError.TooManyAttempts);
        }
        if (now >= owner.ExpiresAt)
        {
            return Fail(ApiError.CredentialExpired);
        }
        return await Pkce.CheckAsync(store, login, codeVerifier, ct) is { } refused ? Fail(refused) : Verified(login);
    }

    // A test address's known link names no login of its own: it completes the login of the browser that asked.
    private async Task<LinkOwner?> KnownTestLinkOwnerAsync(string linkToken, string? boundLoginId, CancellationToken ct)
    {
        if (boundLoginId is null || !testing.IsKnownLinkToken(linkToken))
        {
            return null;
        }
        var login = await store.GetLoginAsync(boundLoginId, ct);
        return login is not null && testing.IsTestAddress(login.Email) ? new LinkOwner(login.Id, login.ExpiresAt) : null;
    }

    public async Task<bool> CompleteAsync(VerifiedLogin login, CancellationToken ct)
    {
        testing.Used("sign-in", login.Email);
        // Done first, so nothing that could fail follows the consuming write.
        await gate.ClearAsync(login.Email, ct);
        return await store.TryCompleteLoginAsync(login.LoginId, PasswordlessOptions.MaxFailedAttempts, time.GetUtcNow(), ct);
    }

    private static IEnumerable<StoredCredential> NewestCodes(PendingLogin login) =>
        login.Credentials.Where(c => c.Kind == CredentialKind.Code).OrderByDescending(c => c.ExpiresAt).Take(2);

    private static VerifyResult.Verified Verified(PendingLogin login) =>
        new(new VerifiedLogin(login.Id, login.Email, login.ReturnTo, login.Template, login.State) { Locale = login.Locale });

    private async Task<SendResult?> TryCountEmailAsync(string email, DateTimeOffset now, CancellationToken ct)
    {
        var quota = await emailBudget.TryCountAsync(email, now, ct);
        return quota.Allowed ? null : RateLimited(quota);
    }

    private static SendResult.Failed RateLimited(EmailQuota quota) => new(new ApiFailure(ApiError.RateLimited, quota.RetryAfter));

    private sealed record Issued(string? Code, string? LinkToken, DateTimeOffset ExpiresAt, IReadOnlyList<StoredCredential> Credentials);

    private Issued Issue(string loginId, string email, DateTimeOffset now)
    {
        var expiresAt = now.AddSeconds(_options.ExpiresIn);
        // A test address's code is the known one; it still meets the attempt counter and the wrong-code gate.
        var code = _options.Type is PasswordlessType.Link ? null : testing.IsTestAddress(email) ? testing.Code : CredentialGenerator.NewCode();
        var link = _options.Type is PasswordlessType.Otp ? null : CredentialGenerator.NewLinkToken();
        var credentials = new List<StoredCredential>();
        if (code is not null)
        {
            credentials.Add(new StoredCredential(CredentialKind.Code, hasher.HashCode(loginId, code), expiresAt));
        }
        if (link is not null)
        {
            credentials.Add(new StoredCredential(CredentialKind.Link, hasher.HashLink(link), expiresAt));
        }
        return new Issued(code, link, expiresAt, credentials);
    }

    // The email job for a login's newest credentials; none for a test address (the test knows the code and link, so
    // nothing is composed at all). Full: the queue is too far behind to take it.
    private (EmailJob? Job, bool Full) Email(PendingLogin login, Issued issued)
    {
        if (testing.IsTestAddress(login.Email))
        {
            return (null, false);
        }
        if (emails.Full)
        {
            return (null, true);
        }
        var link = issued.LinkToken is null ? null : MagicLink.Build(_options, issued.LinkToken);
        var email = new LoginEmail(login.Email, login.Template, issued.Code, link, issued.ExpiresAt, TimeSpan.FromSeconds(_options.ExpiresIn),
            login.Locale ?? EmailTemplates.DefaultLocale, login.TemplateVariables) { State = login.State };
        return (emails.NewJob(login.Id, email), false);
    }

    // The same answer as any send, whether or not an email was queued.
    private SendResult.Sent Queued(PendingLogin login, Issued issued, EmailJob? job)
    {
        if (job is null)
        {
            testing.Used("send", login.Email);
        }
        else
        {
            emails.Queued();
        }
        return new SendResult.Sent(new LoginTicket(login.Id, issued.ExpiresAt, _options.Type, _options.ResendAfter)
        {
            ApprovalNumber = login.ApprovalNumber,
        });
    }

    private static VerifyResult.Failed Fail(ApiError error) => new(error);
}
