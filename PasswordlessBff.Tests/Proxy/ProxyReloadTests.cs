using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Proxy;

// The ReverseProxy section is reloadable, as in YARP: a route added while the service runs is served, and a reload
// that the route conventions refuse keeps the routes that were there.
public sealed class ProxyReloadTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    [Fact]
    public async Task ARouteAddedAtRunTimeIsServedAndARefusedReloadKeepsTheRoutesThatWereThere()
    {
        using var client = await fixture.SignedInAsync("reload@test.invalid");
        using (var before = await client.SendAsync(HttpMethod.Get, "/reloaded/x"))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }
        var configuration = (IConfigurationRoot)fixture.Bff.Services.GetRequiredService<IConfiguration>();

        configuration["ReverseProxy:Routes:reloaded:ClusterId"] = "orders";
        configuration["ReverseProxy:Routes:reloaded:Match:Path"] = "/reloaded/{**rest}";
        configuration.Reload();

        // YARP applies a reload from its change callback: ask again, bounded.
        (await Eventually.StatusAsync(() => client.SendAsync(HttpMethod.Get, "/reloaded/x"), HttpStatusCode.OK, TimeSpan.FromSeconds(5))).Dispose();
        configuration["ReverseProxy:Routes:reloaded:AuthorizationPolicy"] = "nobody-knows-this-policy";
        configuration.Reload();
        using var kept = await client.SendAsync(HttpMethod.Get, "/reloaded/x");
        await Expect.StatusAsync(kept, HttpStatusCode.OK);
        using var others = await client.SendAsync(HttpMethod.Get, "/orders/x");
        await Expect.StatusAsync(others, HttpStatusCode.OK);
    }
}
