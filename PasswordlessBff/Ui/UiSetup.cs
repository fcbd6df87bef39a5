using Microsoft.Extensions.Options;

namespace PasswordlessBff.Ui;

public static class UiSetup
{
    public static IServiceCollection AddUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UiOptions>().Bind(configuration.GetSection(UiOptions.SectionName))
            .Validate(o => o.ExampleApiPath is null || (o.ExampleApiPath.StartsWith('/') && !o.ExampleApiPath.StartsWith("//", StringComparison.Ordinal)),
                "Ui__ExampleApiPath must be a path on this service starting with /, e.g. /api/orders.")
            .ValidateOnStart();
        return services;
    }

    public const string ConfigPath = "/api/ui/config";

    // What the sign-in page reads at start: the example backend route its signed-in view may call.
    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ConfigPath, (IOptions<UiOptions> options) => TypedResults.Ok(new UiConfigResponse(options.Value.ExampleApiPath)))
            .WithTags("Sign-in page").WithName("GetUiConfig")
            .WithSummary("What the built-in sign-in page shows: the example backend route, if any");
        return app;
    }

    // The sign-in page at / and its modules as static files; with Ui__Enabled=false no sign-in page, but the modules
    // and styles the confirmation page of a magic link shares stay.
    public static IApplicationBuilder UseUi(this IApplicationBuilder app)
    {
        var enabled = app.ApplicationServices.GetRequiredService<IOptions<UiOptions>>().Value.Enabled;
        var files = new UiFiles(app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider, signInPage: enabled);
        if (enabled)
        {
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        }
        return app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
    }
}

public sealed record UiConfigResponse(string? ExampleApiPath);
