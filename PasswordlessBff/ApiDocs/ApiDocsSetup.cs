using PasswordlessBff.Http;
using Scalar.AspNetCore;

namespace PasswordlessBff.ApiDocs;

public static class ApiDocsSetup
{
    // The OpenAPI document, with problem codes, the X-CSRF header and the cookies filled in from endpoint metadata.
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<CookieDocumentTransformer>();
            options.AddOperationTransformer<ProblemCodesOperationTransformer>();
        });
        return services;
    }

    // /openapi/v1.json everywhere; the Scalar reference UI at /scalar in Development only.
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            // Scalar's page boots with an inline module script and inline styles: a looser policy, on this page only.
            app.MapScalarApiReference(options => options.WithTitle("PasswordlessBff API").DisableDefaultFonts())
                .WithMetadata(new PagePolicy("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                    + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"));
        }
        return app;
    }
}
