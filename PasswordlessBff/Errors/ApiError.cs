namespace PasswordlessBff.Errors;

// The stable error codes of API.md: front ends switch on Code, people read Title and Detail.
public sealed record ApiError(string Code, int Status, string Title, string Detail)
{
    public static readonly ApiError ValidationFailed = new("validation_failed", 400,
        "The request is not valid", "One or more fields are missing or malformed; see errors.");
    public static readonly ApiError ReturnToNotAllowed = new("return_to_not_allowed", 400,
        "Return address not allowed", "returnTo must be a relative path or an allowed origin.");
    public static readonly ApiError CsrfHeaderMissing = new("csrf_header_missing", 403,
        "Missing anti-forgery header", "Send the header 'X-CSRF: 1' with every POST.");
    public static readonly ApiError OriginNotAllowed = new("origin_not_allowed", 403,
        "Origin not allowed", "This request came from a site that is not allowed to call this service.");
    public static readonly ApiError RateLimited = new("rate_limited", 429,
        "Too many requests", "Too many emails or requests; wait and try again.");
    public static readonly ApiError AuthRequestInvalid = new("auth_request_invalid", 400,
        "Sign-in request not valid", "This sign-in request is unknown, finished or expired; start again.");
    public static readonly ApiError CredentialInvalid = new("credential_invalid", 400,
        "Code or link not valid", "The code is wrong, or the link is unknown or already used.");
    public static readonly ApiError CredentialExpired = new("credential_expired", 400,
        "Code or link expired", "The code or link has expired; request a new email.");
    public static readonly ApiError TooManyAttempts = new("too_many_attempts", 429,
        "Too many attempts", "Too many wrong codes for this sign-in request; start again.");
    public static readonly ApiError BrowserMismatch = new("browser_mismatch", 400,
        "Opened in another browser", "The link was opened in a browser that did not start this sign-in; enter the code from the email instead.");
    public static readonly ApiError CodeVerifierInvalid = new("code_verifier_invalid", 400,
        "Code verifier not valid", "This sign-in was started with a PKCE codeChallenge: send its codeVerifier, and only then.");
    public static readonly ApiError ApprovalNumberWrong = new("approval_number_wrong", 400,
        "Wrong number", "The number did not match the one on the screen that asked, so this sign-in was cancelled.");
    public static readonly ApiError ApprovalRefused = new("approval_refused", 403,
        "Sign-in refused", "This sign-in was refused on the device that opened the link; start again if it was you.");
    public static readonly ApiError Unauthenticated = new("unauthenticated", 401,
        "Not signed in", "There is no valid session; sign in again.");
    public static readonly ApiError Forbidden = new("forbidden", 403,
        "Forbidden", "You are signed in, but this needs a role your session does not have.");
    public static readonly ApiError SignInNotAllowed = new("sign_in_not_allowed", 403,
        "Sign-in not allowed", "This address may not sign in here. If you think it should, ask the team that runs this site.");
    public static readonly ApiError AdminKeyInvalid = new("admin_key_invalid", 401,
        "Admin key missing or wrong", "Send one of the configured Admin__ApiKeys as 'Authorization: Bearer <key>'.");
    public static readonly ApiError CookiesNotAllowed = new("cookies_not_allowed", 403,
        "Browser request refused", "This server-to-server endpoint refuses requests that carry this service's cookies.");
    public static readonly ApiError UpstreamUnavailable = new("upstream_unavailable", 503,
        "Service temporarily unavailable", "A service this sign-in depends on is unreachable; try again shortly.");
    public static readonly ApiError BackendUnavailable = new("backend_unavailable", 502,
        "Backend unavailable", "The service behind this route could not be reached; try again shortly.");
    public static readonly ApiError BackendTimeout = new("backend_timeout", 504,
        "Backend timed out", "The service behind this route did not answer in time; try again shortly.");
    public static readonly ApiError RequestTooLarge = new("request_too_large", 413,
        "Request too large", "Request bodies are limited to 16 KiB.");
    public static readonly ApiError UnsupportedMediaType = new("unsupported_media_type", 415,
        "Unsupported media type", "Send the body as application/json.");
    public static readonly ApiError NotFound = new("not_found", 404,
        "Not found", "There is nothing at this address.");
    public static readonly ApiError MethodNotAllowed = new("method_not_allowed", 405,
        "Method not allowed", "This address does not accept that HTTP method.");
    public static readonly ApiError TestAddressRequired = new("test_address_required", 403,
        "Not a test address", "The one-call session is only for test addresses (Testing__AddressPatterns__N).");
    public static readonly ApiError Internal = new("internal_error", 500,
        "Unexpected error", "Something went wrong on our side; try again.");

    private static readonly Dictionary<int, ApiError> ByStatus = new()
    {
        [400] = ValidationFailed,
        [401] = Unauthenticated,
        [404] = NotFound,
        [405] = MethodNotAllowed,
        [413] = RequestTooLarge,
        [415] = UnsupportedMediaType,
        [429] = RateLimited,
        [502] = BackendUnavailable,
        [503] = UpstreamUnavailable,
        [504] = BackendTimeout,
    };

    // For answers the framework writes itself (bad JSON, 404, 405, 413): the closest stable code.
    public static ApiError ForStatus(int status) => ByStatus.GetValueOrDefault(status, Internal);
}
