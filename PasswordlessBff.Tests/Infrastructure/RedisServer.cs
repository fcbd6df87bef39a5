using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PasswordlessBff.Tests.Infrastructure;

// A real redis-server on a free 127.0.0.1 port with nothing persisted; stopped when disposed or when the run ends.
// scripts/ensure-redis.sh installs it when missing.
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly Lazy<RedisServer> SharedServer = new(Start);
    private Process? _process;

    // Nothing is saved on its own (--save ''); an explicit SAVE lands here and a restart loads it.
    private readonly string _directory = Directory.CreateTempSubdirectory("pwlbff-redis-").FullName;

    private RedisServer(int port)
    {
        Port = port;
    }

    // One server for every fixture of the run; fixtures keep apart through key prefixes.
    public static RedisServer Shared => SharedServer.Value;

    public int Port { get; }

    // Short timeouts so outage tests stay fast.
    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";

    public static RedisServer Start()
    {
        var server = new RedisServer(FreePort.Next());
        server.RunAsync().GetAwaiter().GetResult();
        return server;
    }

    // Starts the process (again, on the same port) and waits until it answers PING.
    public async Task RunAsync()
    {
        // Through a shell that kills redis-server when its stdin (our pipe) closes, so it never outlives the test run.
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("redis-server \"$@\" & server=$!; cat >/dev/null; kill $server; wait $server; rm -rf \"$REDIS_DIR\"");
        start.Environment["REDIS_DIR"] = _directory;
        start.ArgumentList.Add("redis-server");
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; run scripts/ensure-redis.sh");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!await AnswersPingAsync(deadline.Token))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} on port {Port}");
            }
            await Task.Delay(50, deadline.Token);
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Kill();
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task<bool> AnswersPingAsync(CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, ct);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), ct);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, ct);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
