using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using PasswordlessBff.Telemetry;

namespace PasswordlessBff.Email;

public sealed class SmtpEmailTransport(IOptions<EmailOptions> options, UpstreamMetrics metrics) : IEmailTransport
{
    private const string Upstream = "smtp";
    private readonly SmtpOptions _smtp = options.Value.Smtp;

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
        using var client = await ConnectAsync(ct);
        try
        {
            await client.SendAsync(message, ct);
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
        await DisconnectQuietlyAsync(client);
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
