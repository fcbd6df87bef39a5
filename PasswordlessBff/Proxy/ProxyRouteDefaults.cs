using Microsoft.Extensions.Options;
using PasswordlessBff.Sessions;
using Yarp.ReverseProxy.Configuration;

namespace PasswordlessBff.Proxy;

// Every route as it is loaded (at start-up and at each reload): the session policy unless it opts out, the default
// body limit, and a refusal that names the setting for anything the convention does not know. A refused reload keeps
// the routes that were running.
public sealed class ProxyRouteDefaults(IOptions<ProxyOptions> options) : IProxyConfigFilter
{
    // Our own endpoints are never shadowed by a proxied route.
    private static readonly string[] ReservedPrefixes = ["/api/auth", "/api/me", "/api/testing", "/api/admin", "/.well-known", "/healthz", "/readyz"];

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => ValueTask.FromResult(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        var setting = $"ReverseProxy__Routes__{route.RouteId}";
        var anonymous = string.Equals(route.AuthorizationPolicy, ProxiedRoute.AnonymousPolicy, StringComparison.OrdinalIgnoreCase);
        if (!anonymous && route.AuthorizationPolicy is { Length: > 0 } policy && !string.Equals(policy, ProxiedRoute.SessionPolicy, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{setting}__AuthorizationPolicy '{policy}' is not known: leave it out or set 'session' "
                + "(a session is required, the default) or 'anonymous' (no session, no identity token).");
        }
        if (anonymous && ProxiedRoute.Roles(route).Length > 0)
        {
            throw new InvalidOperationException($"{setting}__Metadata__Roles needs a session: remove it or remove AuthorizationPolicy 'anonymous'.");
        }
        if (route.Metadata?.GetValueOrDefault(ProxiedRoute.AudienceKey) is { } audience && string.IsNullOrWhiteSpace(audience))
        {
            throw new InvalidOperationException($"{setting}__Metadata__Audience is empty: name the backend the token is for, e.g. orders-api.");
        }
        if (route.Match.Path is { } path && ReservedPrefixes.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase) || path.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"{setting}__Match__Path '{path}' overlaps this service's own endpoints; choose another path.");
        }
        return ValueTask.FromResult(route with
        {
            AuthorizationPolicy = anonymous ? "Anonymous" : RequireSessionExtensions.PolicyName,
            MaxRequestBodySize = route.MaxRequestBodySize ?? options.Value.DefaultMaxRequestBodySize,
        });
    }
}
