using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace PasswordlessBff.Tests.Infrastructure;

// The service as operators run it: its own process (Production, settings from the environment), Kestrel on a free
// 127.0.0.1 port, its own SQLite file and a real SMTP sink. For what lives on the wire: remote addresses, forwarded
// headers, restarts, crashes. A restart passes the sink and data directory of the process before it, which then stay
// the caller's. Stopped (killed) when disposed.
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory;
    private readonly bool _ownsSmtpAndData;

    private ServiceProcess(Process process, int port, string dataDirectory, SmtpSink smtp, bool ownsSmtpAndData)
    {
        _process = process;
        Port = port;
        _dataDirectory = dataDirectory;
        Smtp = smtp;
        _ownsSmtpAndData = ownsSmtpAndData;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public SmtpSink Smtp { get; }

    public string DataDirectory => _dataDirectory;

    // Where the service keeps its SQLite file (Storage__Sqlite__Path) unless settings say otherwise.
    public static string DatabasePath(string dataDirectory) => Path.Combine(dataDirectory, "service.db");

    // What the process printed so far, for failure messages.
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServiceProcess> StartAsync(IDictionary<string, string?>? settings = null, int? port = null,
        SmtpSink? sharedSmtp = null, string? sharedDataDirectory = null)
    {
        var listenPort = port ?? FreePort.Next();
        var dataDirectory = sharedDataDirectory ?? NewDataDirectory();
        var smtp = sharedSmtp ?? new SmtpSink();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        // The project folder, as for `dotnet run`: appsettings.json and wwwroot (the sign-in page) live there.
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.Combine(Repository.Root, "PasswordlessBff"));
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{listenPort}",
            ["Passwordless__PublicBaseUrl"] = $"http://127.0.0.1:{listenPort}",
            ["Session__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Storage__Sqlite__Path"] = DatabasePath(dataDirectory),
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Email__Smtp__Security"] = "None",
            ["Email__From"] = "PasswordlessBff Tests <no-reply@tests.example>",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, listenPort, dataDirectory, smtp, ownsSmtpAndData: sharedSmtp is null && sharedDataDirectory is null);
        process.OutputDataReceived += (_, line) => service.Append(line.Data);
        process.ErrorDataReceived += (_, line) => service.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilHealthyAsync();
        return service;
    }

    public static string NewDataDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "pwlbff-process", Guid.NewGuid().ToString("N"))).FullName;

    // SIGKILL: no shutdown, no drain, nothing flushed that was not already written.
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    // A client whose connections come from the given loopback address (127.0.0.2 is a second client).
    public HttpClient ClientFrom(string localAddress = "127.0.0.1")
    {
        var local = IPAddress.Parse(localAddress);
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = ClientFrom();
        client.Timeout = TimeSpan.FromSeconds(2);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode} before it was healthy:\n{Output}");
            }
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The service did not become healthy within 60 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (!_ownsSmtpAndData)
        {
            return;
        }
        await Smtp.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying child: the temp directory is cleaned up by the OS eventually.
        }
    }
}
