using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Policy;

// The team's sign-in policy hook as a real server on 127.0.0.1 (Kestrel): it checks every call's signature with the
// StandardWebhooks library, keeps what it received, and answers what each test told it for an address (allow
// otherwise). Tests use their own addresses, so one shared server serves every suite.
public sealed class PolicyHookServer : IAsyncDisposable
{
    public static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static readonly Lazy<PolicyHookServer> SharedServer = new(() => new PolicyHookServer());

    private readonly ConcurrentDictionary<string, Func<HookCall, HookReply>> _replies = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<HookCall> _calls = new();
    private readonly StandardWebhook _verifier = new(Secret);
    private WebApplication? _app;
    private int _unverified;

    public PolicyHookServer(int? port = null)
    {
        Port = port ?? FreePort.Next();
        Start();
    }

    public static PolicyHookServer Shared => SharedServer.Value;

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hooks/signin";

    // Settings that point the service at this hook.
    public IReadOnlyDictionary<string, string?> Settings(int timeoutMilliseconds = 2000) => new Dictionary<string, string?>
    {
        ["Policy:Hook:Url"] = Url,
        ["Policy:Hook:Secret"] = Secret,
        ["Policy:Hook:TimeoutMilliseconds"] = timeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // Calls whose signature did not verify (answered 401, not recorded as an event).
    public int Unverified => Volatile.Read(ref _unverified);

    public void Answer(string email, HookReply reply) => _replies[email] = _ => reply;

    public void Answer(string email, Func<HookCall, HookReply> reply) => _replies[email] = reply;

    public IReadOnlyList<HookCall> CallsFor(string email, string? type = null) =>
        [.. _calls.Where(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase) && (type is null || c.Type == type))];

    public async Task<HookCall> WaitForAsync(string email, string type, int nth = 1)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (CallsFor(email, type) is var calls && calls.Count < nth)
        {
            await Task.Delay(10, deadline.Token);
        }
        return CallsFor(email, type)[nth - 1];
    }

    // Down: the port refuses connections until Start.
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public void Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.MapPost("/hooks/signin", ReceiveAsync);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        try
        {
            _verifier.Verify(body, context.Request.Headers);
        }
        catch (WebhookVerificationException)
        {
            Interlocked.Increment(ref _unverified);
            context.Response.StatusCode = 401;
            return;
        }
        var call = HookCall.Parse(body, context.Request.Headers);
        _calls.Enqueue(call);
        var reply = _replies.TryGetValue(call.Email, out var answer) ? answer(call) : HookReply.Allow();
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (reply.Drop)
        {
            context.Abort();
            return;
        }
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body);
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

// One event as the hook received it.
public sealed record HookCall(string Type, string Email, JsonElement Data, string MessageId, long Timestamp)
{
    public string? Field(string name) => Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static HookCall Parse(string body, IHeaderDictionary headers)
    {
        var root = JsonDocument.Parse(body).RootElement.Clone();
        var data = root.GetProperty("data");
        return new HookCall(root.GetProperty("type").GetString()!, data.GetProperty("email").GetString()!, data,
            headers["webhook-id"].ToString(), long.Parse(headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed record HookReply(int Status, string Body, TimeSpan Delay = default, bool Drop = false)
{
    public static HookReply Allow(string? userId = null, string[]? roles = null, Dictionary<string, object>? claims = null) =>
        new(200, JsonSerializer.Serialize(new { decision = "allow", userId, roles, claims }));

    public static HookReply Deny() => new(200, """{"decision":"deny"}""");

    public static HookReply Raw(string body, int status = 200) => new(status, body);

    public static HookReply Slow(TimeSpan delay) => Allow() with { Delay = delay };

    // The connection is cut before any answer: the hook is as good as unreachable.
    public static HookReply Unreachable() => new(0, "", Drop: true);
}
