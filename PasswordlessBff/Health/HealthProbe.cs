namespace PasswordlessBff.Health;

// `dotnet PasswordlessBff.dll --health-check`: the container HEALTHCHECK without curl (the ASP.NET Core runtime image has
// none). Asks this instance's /healthz on the first port of ASPNETCORE_HTTP_PORTS and exits 0 (healthy) or 1.
public static class HealthProbe
{
    public const string Argument = "--health-check";

    public static bool IsRequested(string[] args) => args is [Argument, ..];

    public static async Task<int> RunAsync(string[] args)
    {
        var path = args.Length > 1 && args[1].StartsWith('/') ? args[1] : "/healthz";
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080";
        var port = ports.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            return 1;
        }
    }
}
