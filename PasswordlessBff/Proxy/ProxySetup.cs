using Microsoft.AspNetCore.Authorization;
using PasswordlessBff.Http;
using PasswordlessBff.Sessions;
using PasswordlessBff.Storage;
using PasswordlessBff.Storage.Redis;
using PasswordlessBff.Storage.Sqlite;
using Yarp.ReverseProxy.Configuration;

namespace PasswordlessBff.Proxy;

public static class ProxySetup
{
    public const string ConfigurationSection = "ReverseProxy";

    // YARP with its own ReverseProxy section (reloaded when it changes), our route defaults and header rules, the
    // identity token and its signing keys (in the store, so every instance on Redis shares them).
    public static IServiceCollection AddProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        _ = configuration.UsesRedis()
            ? services.AddSingleton<ISigningKeyStore, RedisSigningKeyStore>()
            : services.AddSingleton<ISigningKeyStore, SqliteSigningKeyStore>();
        services.AddSingleton<ProxySigningKeys>();
        services.AddSingleton<ForwardedIdentityTokens>();
        services.AddSingleton<ProxyGate>();
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection(ConfigurationSection))
            .AddConfigFilter<ProxyRouteDefaults>()
            .AddTransforms<BrowserHeaderTransforms>();
        return services;
    }

    public static IEndpointRouteBuilder MapProxy(this IEndpointRouteBuilder app)
    {
        app.MapIdentityMetadata();
        var gate = app.ServiceProvider.GetRequiredService<ProxyGate>();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use((context, next) => gate.InvokeAsync(context, () => next()));
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        }).ConfigureEndpoints((endpoint, route) =>
        {
            endpoint.WithMetadata(OwnRequestSizeLimit.Instance);
            if (ProxiedRoute.Roles(route) is { Length: > 0 } roles)
            {
                endpoint.RequireAuthorization(new AuthorizationPolicyBuilder(SessionAuthenticationHandler.SchemeName).RequireRole(roles).Build());
            }
        });
        return app;
    }
}
