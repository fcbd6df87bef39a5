using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using PasswordlessBff.Telemetry;

namespace PasswordlessBff.Email;

public sealed class SmtpEmailTransport(IOptions<EmailOptions> options, UpstreamMetrics metrics, TimeProvider time)
    : IEmailTransport, IAsyncDisposable
{
    private const string Upstream = "smtp";
    private const int MaxIdleConnections = 8;
    private static readonly TimeSpan MaxIdleTime = TimeSpan.FromSeconds(30);
    private readonly SmtpOptions _smtp = options.Value.Smtp;

    // Connections kept open between messages: a connect, TLS and AUTH per email would cost more than the email.
    private readonly ConcurrentBag<(SmtpClient Client, long IdleSince)> _idle = [];

    public async Task DeliverAsync(MimeMessage message, CancellationToken ct)
    {
        using var activity = UpstreamMetrics.StartActivity(Upstream, "deliver");
        var started = metrics.Start();
        var outcome = "error";
        try
        {
            await DeliverOnceAsync(message, ct);
            outcome = "ok";
        }
        catch (EmailDeliveryException e) when (e.InnerException is SmtpCommandException)
        {
            outcome = "refused";
            throw;
        }
        finally
        {
            metrics.Record(Upstream, "deliver", started, outcome);
            if (outcome != "ok")
            {
                UpstreamMetrics.Fail(activity, outcome);
            }
        }
    }

    private async Task DeliverOnceAsync(MimeMessage message, CancellationToken ct)
    {
        var client = await RentAsync(ct);
        var accepted = false;
        try
        {
            await client.SendAsync(message, ct);
            accepted = true;
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode is >= 400 and < 500)
        {
            // A 4xx reply is the server refusing for now: nothing was accepted, so a retry cannot duplicate.
            throw new EmailDeliveryException($"SMTP server deferred the message ({(int)e.StatusCode})", false, e);
        }
        catch (SmtpCommandException e)
        {
            throw new EmailDeliveryException($"SMTP server rejected the message ({(int)e.StatusCode})", true, e);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException)
        {
            throw new EmailDeliveryException("SMTP connection failed while sending", true, e);
        }
        finally
        {
            // After any failure the connection's state is unknown: it is never reused.
            if (!accepted)
            {
                client.Dispose();
            }
        }
        await ReturnAsync(client);
    }

    // An idle connection is reused only after a NOOP proves it alive, so a message never goes down a dead one
    // (a failure there would count as "may have been delivered" and the email would be lost, not retried).
    private async Task<SmtpClient> RentAsync(CancellationToken ct)
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.Client.IsConnected && time.GetElapsedTime(idle.IdleSince) < MaxIdleTime)
            {
                try
                {
                    await idle.Client.NoOpAsync(ct);
                    return idle.Client;
                }
                catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
                {
                    // Closed by the server while idle: try the next one or connect afresh.
                }
            }
            await DisconnectQuietlyAsync(idle.Client);
            idle.Client.Dispose();
        }
        return await ConnectAsync(ct);
    }

    private async Task ReturnAsync(SmtpClient client)
    {
        if (client.IsConnected && _idle.Count < MaxIdleConnections)
        {
            _idle.Add((client, time.GetTimestamp()));
            return;
        }
        await DisconnectQuietlyAsync(client);
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var idle))
        {
            await DisconnectQuietlyAsync(idle.Client);
            idle.Client.Dispose();
        }
    }

    public async Task CheckAsync(CancellationToken ct)
    {
        var started = metrics.Start();
        var outcome = "error";
        try
        {
            using var client = await ConnectAsync(ct);
            await DisconnectQuietlyAsync(client);
            outcome = "ok";
        }
        finally
        {
            metrics.Record(Upstream, "check", started, outcome);
        }
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken ct)
    {
        var client = new SmtpClient { Timeout = _smtp.TimeoutSeconds * 1000 };
        try
        {
            var security = _smtp.Security switch
            {
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(_smtp.Host!, _smtp.EffectivePort, security, ct);
            if (!string.IsNullOrEmpty(_smtp.Username))
            {
                await client.AuthenticateAsync(_smtp.Username, _smtp.Password ?? "", ct);
            }
            // RCPT TO carries the canonical, all-ASCII address as stored (an IDN domain as xn--…): with SMTPUTF8 on
            // offer MailKit would decode the domain to Unicode.
            client.Capabilities &= ~SmtpCapabilities.UTF8;
            return client;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            client.Dispose();
            throw new EmailDeliveryException("Could not connect or authenticate to the SMTP server", false, e);
        }
    }

    private static async Task DisconnectQuietlyAsync(SmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(true, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException)
        {
            // The message was accepted already; a failed QUIT changes nothing.
        }
    }
}
