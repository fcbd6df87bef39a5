using Microsoft.Extensions.Options;
using PasswordlessBff.Policy;

namespace PasswordlessBff.Email;

// Drains the queue with a few workers; retries only what cannot have reached the server.
public sealed partial class EmailDispatcher(
    EmailQueue queue,
    EmailMetrics metrics,
    LoginEmailComposer composer,
    SendPolicy policy,
    IEmailTransport transport,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<EmailDispatcher> logger) : BackgroundService
{
    private const int Workers = 4;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking new mail, then let the workers drain what is queued until the host's shutdown timeout.
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var queued in queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            await DeliverWithRetriesAsync(queued, stoppingToken);
        }
    }

    private async Task DeliverWithRetriesAsync(QueuedEmail queued, CancellationToken ct)
    {
        var email = queued.Email;
        var to = MaskedAddress(email.To);
        // The sign-in policy, off the request path and before anything is composed: refused or unanswered, no email.
        if (!await policy.MaySendAsync(email, queued.Origin, ct))
        {
            return;
        }
        MimeKit.MimeMessage message;
        try
        {
            message = await composer.ComposeAsync(email);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            Drop(to, $"the email could not be rendered ({e.GetType().Name})");
            return;
        }
        var attempts = options.Value.MaxDeliveryAttempts;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await transport.DeliverAsync(message, CancellationToken.None);
                metrics.Sent.Add(1);
                metrics.QueueWait.Record(time.GetElapsedTime(queued.QueuedAt).TotalMilliseconds);
                LogDelivered(logger, to, attempt);
                return;
            }
            catch (EmailDeliveryException e) when (!e.MayHaveBeenDelivered && attempt < attempts)
            {
                metrics.Retried.Add(1);
                LogRetrying(logger, to, attempt, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)), time, ct);
                }
                catch (OperationCanceledException)
                {
                    Drop(to, "shutting down");
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Drop(to, e is EmailDeliveryException ? e.Message : e.GetType().Name);
                return;
            }
        }
    }

    // Logs carry only the first letter and the domain of an address (SECURITY.md item 26).
    public static string MaskedAddress(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Sign-in email to {To} delivered on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string to, int attempt);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Sign-in email to {To} not delivered on attempt {Attempt} ({Reason}); retrying")]
    private static partial void LogRetrying(ILogger logger, string to, int attempt, string reason);

    // Logged before counted: whoever sees the count can find the log line that explains it.
    private void Drop(string to, string reason)
    {
        LogDropped(logger, to, reason);
        metrics.Dropped.Add(1);
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Sign-in email to {To} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string to, string reason);
}
