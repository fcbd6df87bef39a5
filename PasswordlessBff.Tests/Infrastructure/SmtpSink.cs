using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PasswordlessBff.Tests.Infrastructure;

// A real SMTP server on a free 127.0.0.1 port that keeps what it receives; stops when disposed.
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<MimeMessage> _messages = [];
    private readonly Dictionary<MimeMessage, string[]> _envelopes = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _running;

    public SmtpSink()
    {
        Port = FreePort.Next();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref _connections);
        _running = server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    private int _connections;

    // SMTP sessions opened so far (one per TCP connection).
    public int Connections => Volatile.Read(ref _connections);

    // Set to make the server answer DATA with a temporary failure (4xx) this many times.
    public int DeferNext { get; set; }

    // Set to make the server refuse DATA for good (5xx) this many times.
    public int RejectNext { get; set; }

    public int Refused { get; private set; }

    public IReadOnlyList<MimeMessage> Messages
    {
        get { lock (_gate) { return [.. _messages]; } }
    }

    public async Task<MimeMessage> WaitForAsync(string to, int count = 1, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var matching = _messages.Where(m => IsFor(m, to)).ToList();
                if (matching.Count >= count)
                {
                    return matching[count - 1];
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(deadline.Token);
        }
    }

    public int CountFor(string to)
    {
        lock (_gate)
        {
            return _messages.Count(m => IsFor(m, to));
        }
    }

    // Addressed to: in the envelope (RCPT TO) or the To header, which MimeKit may show with a decoded IDN domain.
    private bool IsFor(MimeMessage message, string to) =>
        _envelopes[message].Contains(to, StringComparer.OrdinalIgnoreCase)
        || message.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase));

    // The RCPT TO addresses of a received message: where SMTP really delivers it, whatever its To header says.
    public IReadOnlyList<string> EnvelopeRecipients(MimeMessage message)
    {
        lock (_gate)
        {
            return _envelopes[message];
        }
    }

    private void Add(MimeMessage message, string[] recipients)
    {
        lock (_gate)
        {
            _messages.Add(message);
            _envelopes[message] = recipients;
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.SetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (sink.DeferNext > 0)
            {
                sink.DeferNext--;
                sink.Refused++;
                return new SmtpResponse((SmtpReplyCode)451, "try again later");
            }
            if (sink.RejectNext > 0)
            {
                sink.RejectNext--;
                sink.Refused++;
                return new SmtpResponse((SmtpReplyCode)554, "rejected");
            }
            await using var stream = new MemoryStream(buffer.ToArray());
            sink.Add(await MimeMessage.LoadAsync(stream, cancellationToken), [.. transaction.To.Select(to => $"{to.User}@{to.Host}")]);
            return SmtpResponse.Ok;
        }
    }
}

public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
