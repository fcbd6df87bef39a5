using Microsoft.Extensions.Options;

namespace PasswordlessBff.Ui;

public static class UiSetup
{
    public static IServiceCollection AddUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UiOptions>().Bind(configuration.GetSection(UiOptions.SectionName)).ValidateOnStart();
        return services;
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
