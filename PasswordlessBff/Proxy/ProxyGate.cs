using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace PasswordlessBff.Proxy;

// The first step of YARP's pipeline, after authorization passed: refuses what must never reach a backend, mints or
// reuses the identity token, and answers a forwarding failure as problem JSON with a stable code.
public sealed partial class ProxyGate(
    ForwardedIdentityTokens tokens,
    SessionService sessions,
    IOptions<PasswordlessOptions> passwordless,
    ILogger<ProxyGate> logger)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var route = context.GetReverseProxyFeature().Route.Config;
        // The backend's own empty 404s and 500s are relayed as they are, never dressed up as ours.
        context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        if (context.Request.ContentLength > route.MaxRequestBodySize && route.MaxRequestBodySize >= 0)
        {
            await WriteAsync(context, ApiError.RequestTooLarge with { Detail = $"Request bodies on this route are limited to {route.MaxRequestBodySize} bytes." });
            return;
        }
        // A WebSocket handshake is a GET, so the CSRF check does not see it; a foreign page must not open one with our cookie.
        if (IsUpgrade(context) && context.Request.Headers.Origin is { Count: > 0 } origin
            && !passwordless.Value.AllowedOriginSet.Contains(origin.ToString(), StringComparer.OrdinalIgnoreCase))
        {
            await WriteAsync(context, ApiError.OriginNotAllowed);
            return;
        }
        if (ProxiedRoute.RequiresSession(route))
        {
            // Authorization ran the session scheme; without its session nothing is forwarded.
            if (context.Features.Get<ActiveSession>() is not { } session)
            {
                await WriteAsync(context, ApiError.Unauthenticated);
                return;
            }
            sessions.CountAsUse(context, session);
            context.Features.Set(new ForwardedIdentity(await tokens.ForAsync(session, ProxiedRoute.Audience(route), context.RequestAborted)));
        }
        await next();
        if (context.Features.Get<IForwarderErrorFeature>() is { } failure)
        {
            await AnswerFailureAsync(context, route.RouteId, failure);
        }
    }

    private static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } || HttpMethods.IsConnect(context.Request.Method);

    private async Task AnswerFailureAsync(HttpContext context, string routeId, IForwarderErrorFeature failure)
    {
        var error = failure.Error switch
        {
            ForwarderError.RequestTimedOut => ApiError.BackendTimeout,
            ForwarderError.Request or ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders
                or ForwarderError.NoAvailableDestinations or ForwarderError.UpgradeRequestDestination => ApiError.BackendUnavailable,
            ForwarderError.RequestBodyClient when failure.Exception is BadHttpRequestException { StatusCode: 413 } => ApiError.RequestTooLarge,
            _ => null,
        };
        LogForwardingFailed(logger, routeId, failure.Error);
        if (error is not null && !context.Response.HasStarted)
        {
            context.Response.Headers.Clear();
            await WriteAsync(context, error);
        }
    }

    private static async Task WriteAsync(HttpContext context, ApiError error)
    {
        context.Response.StatusCode = error.Status;
        context.Response.Headers.CacheControl = "no-store";
        await Problems.From(error).ExecuteAsync(context);
    }

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Proxied route {RouteId} failed to forward: {Error}.")]
    private static partial void LogForwardingFailed(ILogger logger, string routeId, ForwarderError error);
}
