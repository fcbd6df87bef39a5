using System.Globalization;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Examples;

// The service as a team's suite meets it: its own process, the Testing environment with test mode on, reached at
// http://localhost:<port> (a secure context for Chromium, so the __Host- cookies work).
public sealed class TestModeService : IAsyncLifetime
{
    private ServiceProcess? _process;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _process = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["Passwordless__PublicBaseUrl"] = $"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}",
            ["Testing__Enabled"] = "true",
        }, port);
        BaseAddress = new Uri($"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public string Output => _process?.Output ?? "";

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
