using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Http;

public static class CsrfProtection
{
    public const string HeaderName = "X-CSRF";

    // State-changing requests need 'X-CSRF: 1' (which a cross-site form cannot send) and, when the browser says, an allowed origin.
    public static TBuilder RequireCsrfHeader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(CsrfHeaderMetadata.Instance).AddEndpointFilter(async (context, next) =>
            Refusal(context.HttpContext.Request) is { } refused ? Problems.From(refused) : await next(context));

    // Why this request fails the CSRF check, or null when it passes (or does not change state).
    public static ApiError? Refusal(HttpRequest request)
    {
        if (!IsStateChanging(request.Method))
        {
            return null;
        }
        if (request.Headers[HeaderName] != "1")
        {
            return ApiError.CsrfHeaderMissing;
        }
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<PasswordlessOptions>>().Value;
        return IsAllowedSource(request, options) ? null : ApiError.OriginNotAllowed;
    }

    public static bool IsStateChanging(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    private static bool IsAllowedSource(HttpRequest request, PasswordlessOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return options.AllowedOriginSet.Contains(origin, StringComparer.OrdinalIgnoreCase);
        }
        return !string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase);
    }
}

// Marks endpoints behind RequireCsrfHeader(), so the OpenAPI document can declare the header on their state-changing operations.
public sealed class CsrfHeaderMetadata
{
    public static readonly CsrfHeaderMetadata Instance = new();

    public static readonly ApiError[] Errors = [ApiError.CsrfHeaderMissing, ApiError.OriginNotAllowed];
}
