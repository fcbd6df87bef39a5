using Yarp.ReverseProxy.Configuration;

namespace PasswordlessBff.Proxy;

// The per-route convention, in YARP's own terms. AuthorizationPolicy: absent or "session" (a session, the CSRF check on
// non-GET, an identity token) or "anonymous" (none of these). Metadata "Roles": comma-separated, the session needs one
// of them (403 forbidden). Metadata "Audience": the token's aud, by default the route's ClusterId. MaxRequestBodySize:
// YARP's own, by default Proxy__DefaultMaxRequestBodySize.
public static class ProxiedRoute
{
    public const string SessionPolicy = "session";
    public const string AnonymousPolicy = "anonymous";
    public const string RolesKey = "Roles";
    public const string AudienceKey = "Audience";

    public static bool RequiresSession(RouteConfig route) =>
        !string.Equals(route.AuthorizationPolicy, AnonymousPolicy, StringComparison.OrdinalIgnoreCase);

    public static string Audience(RouteConfig route) =>
        route.Metadata?.GetValueOrDefault(AudienceKey) is { Length: > 0 } audience ? audience : route.ClusterId ?? route.RouteId;

    public static string[] Roles(RouteConfig route) =>
        route.Metadata?.GetValueOrDefault(RolesKey)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
