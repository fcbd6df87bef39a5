using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace PasswordlessBff.Tests.Infrastructure;

// TestServer has no TCP peer: the X-Test-Peer header plays the connection's remote address (else `otherwise`, if
// given), set before the app's pipeline runs.
public static class SimulatedPeer
{
    public const string Header = "X-Test-Peer";

    public static void Use(IWebHostBuilder builder, IPAddress? otherwise = null) =>
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new PeerFilter(otherwise)));

    public static void From(this HttpRequestMessage request, string peer) => request.Headers.Add(Header, peer);

    private sealed class PeerFilter(IPAddress? otherwise) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.TryParse(context.Request.Headers[Header], out var peer) ? peer : otherwise;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
