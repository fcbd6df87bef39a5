using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace PasswordlessBff.Tests.Infrastructure;

// A real three-master Redis Cluster on free 127.0.0.1 ports, nothing persisted, in a temp directory; stopped when
// disposed or when the run ends (each node is killed when our pipe to its shell closes, as in RedisServer).
public sealed class RedisClusterServer : IAsyncDisposable
{
    private static readonly string[] Create = ["--cluster", "create"];
    private static readonly string[] NoReplicas = ["--cluster-replicas", "0", "--cluster-yes"];
    private static readonly Lazy<RedisClusterServer> SharedCluster = new(() => StartAsync().GetAwaiter().GetResult());
    private readonly List<Process> _nodes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("pwlbff-redis-cluster-").FullName;

    private RedisClusterServer(int[] ports)
    {
        Ports = ports;
    }

    // One cluster for every fixture of the run; fixtures keep apart through key prefixes.
    public static RedisClusterServer Shared => SharedCluster.Value;

    public IReadOnlyList<int> Ports { get; }

    // Every node listed, as a deployment would; short timeouts as for the single server.
    public string Configuration =>
        string.Join(",", Ports.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}")) + ",connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";

    public static async Task<RedisClusterServer> StartAsync()
    {
        var cluster = new RedisClusterServer([FreePort.Next(), FreePort.Next(), FreePort.Next()]);
        try
        {
            foreach (var port in cluster.Ports)
            {
                cluster.StartNode(port);
            }
            await cluster.CreateAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private void StartNode(int port)
    {
        var node = Path.Combine(_directory, port.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(node);
        // The shared cluster is never disposed: the last node's shell to go removes the directory.
        var start = Shell("redis-server \"$@\" & server=$!; cat >/dev/null; kill $server; wait $server; rm -rf \"$NODE_DIR\"; rmdir \"$CLUSTER_DIR\" 2>/dev/null");
        start.Environment["NODE_DIR"] = node;
        start.Environment["CLUSTER_DIR"] = _directory;
        foreach (var argument in new[]
        {
            "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(node, "nodes.conf"), "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", node,
        })
        {
            start.ArgumentList.Add(argument);
        }
        _nodes.Add(Run(start, "redis-server"));
    }

    // Waits (bounded) for every node to answer, assigns the slots, then waits for cluster_state:ok on every node.
    private async Task CreateAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var port in Ports)
        {
            while (await CliAsync(port, deadline.Token, "PING") != "PONG")
            {
                await Task.Delay(50, deadline.Token);
            }
        }
        var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Create.Concat(Ports.Select(p => $"127.0.0.1:{p}")).Concat(NoReplicas))
        {
            create.ArgumentList.Add(argument);
        }
        using var creating = Run(create, "redis-cli");
        await creating.WaitForExitAsync(deadline.Token);
        if (creating.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create exited with {creating.ExitCode}");
        }
        foreach (var port in Ports)
        {
            while (!(await CliAsync(port, deadline.Token, "CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                await Task.Delay(100, deadline.Token);
            }
        }
    }

    // The masters, each of which holds some of every fixture's keys.
    public static IEnumerable<IServer> Masters(IConnectionMultiplexer connection) => connection.GetServers().Where(s => !s.IsReplica && s.IsConnected);

    private static async Task<string> CliAsync(int port, CancellationToken ct, params string[] command)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }
        using var cli = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start; run scripts/ensure-redis.sh");
        var output = await cli.StandardOutput.ReadToEndAsync(ct);
        await cli.WaitForExitAsync(ct);
        return output.Trim();
    }

    private static ProcessStartInfo Shell(string script)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("redis-server");
        return start;
    }

    private static Process Run(ProcessStartInfo start, string name)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start; run scripts/ensure-redis.sh");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                if (!node.HasExited)
                {
                    node.Kill(entireProcessTree: true);
                    await node.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            node.Dispose();
        }
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
