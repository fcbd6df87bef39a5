using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PasswordlessBff.Auth;
using PasswordlessBff.Http;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace PasswordlessBff.Proxy;

// Applied to every route after its own configured transforms, so nothing configured can undo it: nothing of the
// browser's authority leaves (its Authorization, our cookies, X-CSRF), the identity token goes in, forwarded headers
// say what this service trusts, and a backend cannot set our cookies.
public sealed class BrowserHeaderTransforms(IOptions<PasswordlessBff.Sessions.SessionOptions> sessions, IOptions<PasswordlessOptions> passwordless) : ITransformProvider
{
    // Headers a client could send to pose as a proxy or as the identity: never relayed as sent.
    private static readonly string[] ClientClaims =
        [HeaderNames.Authorization, CsrfProtection.HeaderName, "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
         "X-Forwarded-Prefix", "X-Original-For", "X-Original-Proto", "X-Original-Host", "X-Real-IP"];

    private readonly string[] _ourCookies = [sessions.Value.CookieName, BrowserBinding.CookieName];
    private readonly string _publicHost = passwordless.Value.PublicBaseUri.Authority;

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        // Our own X-Forwarded-* below replace YARP's defaults, which would relay the client's Host as X-Forwarded-Host.
        context.UseDefaultForwarders = false;
        context.AddRequestTransform(transform =>
        {
            var headers = transform.ProxyRequest.Headers;
            foreach (var name in ClientClaims)
            {
                headers.Remove(name);
            }
            RelayOtherCookies(transform);
            var http = transform.HttpContext;
            headers.TryAddWithoutValidation("X-Forwarded-For", http.Connection.RemoteIpAddress?.ToString());
            headers.TryAddWithoutValidation("X-Forwarded-Proto", http.Request.Scheme);
            headers.TryAddWithoutValidation("X-Forwarded-Host", _publicHost);
            if (http.Features.Get<ForwardedIdentity>() is { } identity)
            {
                headers.Authorization = new("Bearer", identity.Token);
            }
            return ValueTask.CompletedTask;
        });
        context.AddResponseTransform(transform =>
        {
            RelayedResponse.Mark(transform.HttpContext);
            var setCookies = transform.HttpContext.Response.Headers.SetCookie;
            if (setCookies.Any(IsOurs))
            {
                transform.HttpContext.Response.Headers.SetCookie = setCookies.Where(c => !IsOurs(c)).ToArray();
            }
            return ValueTask.CompletedTask;
        });
    }

    // The Cookie header minus our cookies; the team's own cookies pass.
    private void RelayOtherCookies(RequestTransformContext transform)
    {
        var headers = transform.ProxyRequest.Headers;
        if (!headers.Remove(HeaderNames.Cookie))
        {
            return;
        }
        var kept = transform.HttpContext.Request.Headers.Cookie
            .SelectMany(line => (line ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(pair => !IsOurName(pair))
            .ToList();
        if (kept.Count > 0)
        {
            headers.TryAddWithoutValidation(HeaderNames.Cookie, string.Join("; ", kept));
        }
    }

    private bool IsOurs(string? setCookie) => setCookie is not null && IsOurName(setCookie);

    private bool IsOurName(string cookie)
    {
        var name = cookie.AsSpan(0, cookie.IndexOf('=') is var i and >= 0 ? i : cookie.Length).Trim();
        foreach (var ours in _ourCookies)
        {
            if (name.Equals(ours, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}

// The token the gate minted for this request, for the transform to send.
public sealed record ForwardedIdentity(string Token);
