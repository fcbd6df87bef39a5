using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Email;

// Development only: the page that lists what the service "sent", so a newcomer can sign in without SMTP.
public static class DevMailboxApi
{
    public const string Path = "/dev/mailbox";

    // The email's HTML is shown in a sandboxed srcdoc frame, which inherits this policy: it needs the email's inline
    // styles and its https logo; no script runs in the frame (the sandbox has no allow-scripts).
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; "
        + "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDevMailbox(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Path).AddEndpointFilter(OnlyForThisMachine).ExcludeFromDescription();
        // The page and its script come from the web root (even when Ui__Enabled=false turns static files off) and
        // render the messages themselves.
        group.MapMethods("", [HttpMethods.Get, HttpMethods.Head], (IWebHostEnvironment environment, HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            return WebRootFile(environment, "dev/mailbox.html", "text/html; charset=utf-8");
        });
        group.MapGet("/mailbox.js", (IWebHostEnvironment environment) => WebRootFile(environment, "dev/mailbox.js", "text/javascript; charset=utf-8"));
        group.MapGet("/messages", (DevMailbox mailbox) => TypedResults.Ok(mailbox.NewestFirst));
        return routes;
    }

    private static FileStreamHttpResult WebRootFile(IWebHostEnvironment environment, string path, string contentType) =>
        TypedResults.Stream(environment.WebRootFileProvider.GetFileInfo(path).CreateReadStream(), contentType);

    // The mailbox holds live sign-in links: a peer on the network, or a page whose DNS name was rebound to 127.0.0.1
    // (its Host header still names it), finds nothing here, exactly as at any unknown path.
    private static ValueTask<object?> OnlyForThisMachine(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        return IsLoopback(context.Connection.RemoteIpAddress) && IsLoopbackHost(context.Request.Host.Host)
            ? next(invocation)
            : ValueTask.FromResult<object?>(Problems.From(ApiError.NotFound));
    }

    private static bool IsLoopback(IPAddress? peer) =>
        peer is not null && IPAddress.IsLoopback(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer);

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || host == "[::1]"
        || (IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(address));
}
