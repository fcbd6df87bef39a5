using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Http;

public sealed class TrustedProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    // Addresses (10.0.0.5) and networks (10.0.0.0/8) of the proxies whose X-Forwarded-For/-Proto are believed.
    public string[] KnownProxies { get; set; } = [];
    public string[] KnownNetworks { get; set; } = [];

    // How many proxies deep X-Forwarded-For is read (one per trusted hop).
    public int ForwardLimit { get; set; } = 1;
}

internal sealed class TrustedProxyOptionsValidator : IValidateOptions<TrustedProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Length; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"ForwardedHeaders__KnownProxies__{i} '{options.KnownProxies[i]}' is not an IP address such as 10.0.0.5.");
            }
        }
        for (var i = 0; i < options.KnownNetworks.Length; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                failures.Add($"ForwardedHeaders__KnownNetworks__{i} '{options.KnownNetworks[i]}' is not a network in CIDR form such as 10.0.0.0/8.");
            }
        }
        if (options.ForwardLimit is < 1 or > 10)
        {
            failures.Add("ForwardedHeaders__ForwardLimit must be between 1 and 10.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

// X-Forwarded-For and -Proto are believed only from configured proxies (SECURITY.md item 13). With both of its
// lists empty the framework's middleware believes every sender, so it runs only when a proxy is configured; with
// nothing configured a spoofed header is ignored whoever sends it. X-Forwarded-Host is never read: links are built
// from Passwordless__PublicBaseUrl alone.
public static class TrustedProxies
{
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var trusted = app.ApplicationServices.GetRequiredService<IOptions<TrustedProxyOptions>>().Value;
        return trusted.KnownProxies.Length + trusted.KnownNetworks.Length == 0 ? app : app.UseForwardedHeaders();
    }

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TrustedProxyOptions>().Bind(configuration.GetSection(TrustedProxyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustedProxyOptions>, TrustedProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = trusted.Value.ForwardLimit;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
            }
            foreach (var network in trusted.Value.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    forwarded.KnownIPNetworks.Add(parsed);
                }
            }
        });
        return services;
    }
}
