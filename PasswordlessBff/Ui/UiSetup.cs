using Microsoft.Extensions.Options;

namespace PasswordlessBff.Ui;

public static class UiSetup
{
    public static IServiceCollection AddUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UiOptions>().Bind(configuration.GetSection(UiOptions.SectionName)).ValidateOnStart();
        return services;
    }

    // The sign-in page and its scripts as static files, unless Ui__Enabled=false.
    public static IApplicationBuilder UseUi(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<UiOptions>>().Value.Enabled)
        {
            app.UseDefaultFiles();
            app.UseStaticFiles();
        }
        return app;
    }
}
