using System.Net;
using System.Net.Http.Headers;

namespace PasswordlessBff.Passwordless.Scalekit;

// What went wrong upstream, as a closed set: Scalekit's own message text stops here.
public enum ScalekitErrorKind
{
    CredentialInvalid,
    CredentialExpired,
    AuthRequestInvalid,
    AuthRequestIdRequired,
    BrowserMismatch,
    TooManyRequests,
    Rejected,
    Unavailable,
}

public sealed record ScalekitError(ScalekitErrorKind Kind, int Status, TimeSpan? RetryAfter = null)
{
    public static ScalekitError Unavailable { get; } = new(ScalekitErrorKind.Unavailable, 0);

    public static ScalekitError From(HttpStatusCode status, ScalekitErrorBody? body, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        var code = (int)status;
        if (status == HttpStatusCode.TooManyRequests)
        {
            return new(ScalekitErrorKind.TooManyRequests, code, Wait(retryAfter, now));
        }
        // After the one token refresh, a 401/403 means our credentials are wrong: an outage from the user's side.
        if (code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new(ScalekitErrorKind.Unavailable, code);
        }
        if (status == HttpStatusCode.NotFound)
        {
            return new(ScalekitErrorKind.AuthRequestInvalid, code);
        }
        return new(Classify(body), code);
    }

    // grpc-gateway puts the reason in message and details[].error_code; match the phrases Scalekit documents.
    private static ScalekitErrorKind Classify(ScalekitErrorBody? body)
    {
        var text = string.Join(' ', [body?.Message, .. body?.Details?.Select(d => d.ErrorCode) ?? []]).ToLowerInvariant();
        if (text.Contains("auth_request_id", StringComparison.Ordinal) && text.Contains("required", StringComparison.Ordinal))
        {
            return ScalekitErrorKind.AuthRequestIdRequired;
        }
        if (text.Contains("browser", StringComparison.Ordinal) || text.Contains("origin", StringComparison.Ordinal))
        {
            return ScalekitErrorKind.BrowserMismatch;
        }
        if (text.Contains("auth request", StringComparison.Ordinal) || text.Contains("auth_request", StringComparison.Ordinal))
        {
            return ScalekitErrorKind.AuthRequestInvalid;
        }
        if (text.Contains("expired", StringComparison.Ordinal))
        {
            return ScalekitErrorKind.CredentialExpired;
        }
        return text.Contains("verification failed", StringComparison.Ordinal) || text.Contains("verification_failed", StringComparison.Ordinal)
            ? ScalekitErrorKind.CredentialInvalid
            : ScalekitErrorKind.Rejected;
    }

    private static TimeSpan? Wait(RetryConditionHeaderValue? retryAfter, DateTimeOffset now) => retryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date > now => date - now,
        _ => null,
    };
}

public abstract record ScalekitResult<T>
{
    private ScalekitResult() { }

    public sealed record Ok(T Value) : ScalekitResult<T>;

    public sealed record Failed(ScalekitError Error) : ScalekitResult<T>;
}
