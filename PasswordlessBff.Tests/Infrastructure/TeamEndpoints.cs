using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace PasswordlessBff.Tests.Infrastructure;

// A team's own routes in a test host, mapped after the service's pipeline: a second routing step with the same
// authentication and authorization, as a team's app would have.
public static class TeamEndpoints
{
    public static void Map(IWebHostBuilder builder, Action<IEndpointRouteBuilder> map) =>
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new Filter(map)));

    private sealed class Filter(Action<IEndpointRouteBuilder> map) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.UseRouting();
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseEndpoints(map);
        };
    }
}
