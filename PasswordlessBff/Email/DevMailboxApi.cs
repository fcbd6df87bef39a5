using System.Net;
using System.Net.Sockets;
using System.Text;
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
        group.MapMethods("", [HttpMethods.Get, HttpMethods.Head], (DevMailbox mailbox, HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            return TypedResults.Content(Render(mailbox.NewestFirst), "text/html; charset=utf-8");
        });
        group.MapGet("/messages", (DevMailbox mailbox) => TypedResults.Ok(mailbox.NewestFirst));
        return routes;
    }

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

    private static string Render(IReadOnlyList<DevMailboxMessage> messages)
    {
        static string e(string? value) => WebUtility.HtmlEncode(value) ?? "";
        var items = new StringBuilder();
        foreach (var message in messages)
        {
            items.Append($"""
                <article class="card mail">
                  <h2>{e(message.Subject)}</h2>
                  <p class="meta">To {e(message.To)} · <time datetime="{message.ReceivedAt:O}">{message.ReceivedAt:yyyy-MM-dd HH:mm:ss} UTC</time></p>
                  <pre class="mail-text">{LinkedText(message.Text)}</pre>
                  <details><summary>HTML version</summary><iframe title="HTML version of {e(message.Subject)}" sandbox="allow-popups allow-top-navigation-by-user-activation" srcdoc="{e(OpeningLinksInThisTab(message.Html))}"></iframe></details>
                </article>
                """);
        }
        var body = messages.Count == 0 ? "<p>No messages yet. Ask for a sign-in link on the <a href=\"/\">sign-in page</a>.</p>" : items.ToString();
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Dev mailbox</title><link rel="stylesheet" href="/app.css"></head>
            <body><main class="mailbox"><h1>Dev mailbox</h1>
            <p>Development only: the sign-in emails the service sent (the newest 100), newest first. Links open in this browser. <a href="{Path}">Refresh</a> · <a href="/">Sign-in page</a></p>
            {body}</main></body></html>
            """;
    }

    // A link in the sandboxed HTML version must open at the top, in this browser, or it loads inside the frame without cookies.
    private static string OpeningLinksInThisTab(string html)
    {
        const string Base = "<base target=\"_top\">";
        var head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return head < 0 ? Base + html : html.Insert(head + "<head>".Length, Base);
    }

    // Turns the links of the plain-text part into anchors that open in the same browser.
    private static string LinkedText(string text) => string.Join("\n", text.Split('\n').Select(line =>
    {
        var trimmed = line.TrimEnd('\r');
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? $"<a href=\"{WebUtility.HtmlEncode(trimmed)}\">{WebUtility.HtmlEncode(trimmed)}</a>"
            : WebUtility.HtmlEncode(trimmed);
    }));
}
