using PasswordlessBff.Errors;

namespace PasswordlessBff.Passwordless;

public sealed record SendCommand(
    string Email,
    string ReturnTo,
    string Template,
    string? State,
    string Locale = "en",
    IReadOnlyDictionary<string, string>? TemplateVariables = null)
{
    public string? CodeChallenge { get; init; }

    // Which browser and OS asked, for the cross-device approval page.
    public string? AskedBy { get; init; }
}

// What a client may know about a started login; never the code or the link.
public sealed record LoginTicket(string LoginId, DateTimeOffset ExpiresAt, PasswordlessType Type, int ResendAfterSeconds)
{
    // Shown only by the browser that asked; another browser that opens the link approves with it.
    public string? ApprovalNumber { get; init; }
}

public sealed record VerifiedLogin(string LoginId, string Email, string ReturnTo, string Template, string? State)
{
    // The language of the login's email, for the sign-in policy hook.
    public string? Locale { get; init; }
}

public abstract record SendResult
{
    private SendResult() { }

    public sealed record Sent(LoginTicket Ticket) : SendResult;

    public sealed record Failed(ApiFailure Failure) : SendResult;
}

public abstract record VerifyResult
{
    private VerifyResult() { }

    public sealed record Verified(VerifiedLogin Login) : VerifyResult;

    public sealed record Failed(ApiFailure Failure) : VerifyResult;
}

// The seam between our HTTP contract and whoever issues and checks links and codes (built-in or Scalekit).
public interface IPasswordlessProvider
{
    Task<SendResult> SendAsync(SendCommand command, CancellationToken ct);

    Task<SendResult> ResendAsync(string loginId, CancellationToken ct);

    // The verify steps check the credential and consume nothing: the caller prepares the session first, then
    // calls CompleteAsync, so nothing that can fail runs after the login is used up (SECURITY.md item 29).
    // codeVerifier: an app's PKCE proof, required exactly when the login was sent with a codeChallenge.
    Task<VerifyResult> VerifyCodeAsync(string loginId, string code, string? codeVerifier, CancellationToken ct);

    // boundLoginId is the login this client started, if known: a link of another login consumes nothing.
    Task<VerifyResult> VerifyLinkAsync(string linkToken, string? boundLoginId, string? codeVerifier, CancellationToken ct);

    // The atomic pending → completed step: of many concurrent verifications exactly one gets true.
    Task<bool> CompleteAsync(VerifiedLogin login, CancellationToken ct);
}
