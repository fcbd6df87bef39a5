using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using PasswordlessBff.Auth;

namespace PasswordlessBff.ApiDocs;

// The document's title and the two cookies, as cookie security schemes that operations refer to.
internal sealed class CookieDocumentTransformer(IOptions<PasswordlessBff.Sessions.SessionOptions> sessions) : IOpenApiDocumentTransformer
{
    public const string SessionScheme = "sessionCookie";
    public const string BindingScheme = "bindingCookie";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "PasswordlessBff",
            Version = "v1",
            Description = "Passwordless (magic link and one-time code) sign-in for a browser app. Errors are RFC 9457 problem "
                + "details with a stable `code` (listed per operation in `x-problem-codes`); every state-changing request "
                + "sends `X-CSRF: 1`; the browser holds only HttpOnly `__Host-` cookies.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SessionScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = sessions.Value.CookieName,
            Description = "The session: a signed JWT holding only an opaque session id (HttpOnly; Secure; Path=/; SameSite=Lax). "
                + "Set by a successful verify, cleared by logout; the browser sends it, scripts cannot read it.",
        };
        document.Components.SecuritySchemes[BindingScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = BrowserBinding.CookieName,
            Description = "The browser binding: a protected reference to the pending login (HttpOnly; Secure; Path=/; SameSite=Lax). "
                + "Set by send and resend, deleted at sign-in; a magic link completes only in the browser holding it.",
        };
        return Task.CompletedTask;
    }
}
