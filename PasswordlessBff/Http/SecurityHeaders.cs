namespace PasswordlessBff.Http;

// Endpoint metadata for an HTML page that needs a policy of its own (a third-party page such as the API reference).
public sealed record PagePolicy(string ContentSecurityPolicy);

// A backend's answer relayed by the proxy: it keeps its own headers, untouched.
public static class RelayedResponse
{
    private static readonly object Key = new();

    public static void Mark(HttpContext context) => context.Items[Key] = true;

    public static bool IsMarked(HttpContext context) => context.Items.ContainsKey(Key);
}

public static class SecurityHeaders
{
    // The built-in pages load only their own scripts and styles and talk only to this origin.
    public const string PageContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    // nosniff everywhere; auth answers are never cached anywhere; every HTML page gets a CSP unless it set its own
    // (API.md, SECURITY.md item 23).
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            if (RelayedResponse.IsMarked(context))
            {
                return Task.CompletedTask;
            }
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                headers.CacheControl = "no-store";
            }
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
                && !headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = context.GetEndpoint()?.Metadata.GetMetadata<PagePolicy>()?.ContentSecurityPolicy
                    ?? PageContentSecurityPolicy;
            }
            return Task.CompletedTask;
        });
        return next(context);
    });
}
