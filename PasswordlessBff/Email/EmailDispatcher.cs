using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;
using PasswordlessBff.Policy;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Email;

// A few workers claim jobs from the durable queue, deliver and finish them; one more measures the queue. Retries only
// what cannot have reached the server, and never delivers a job whose DATA may have been accepted (SECURITY.md item 15).
public sealed partial class EmailDispatcher(
    EmailQueue queue,
    IEmailJobStore jobs,
    EmailJobPayload payloads,
    EmailMetrics metrics,
    LoginEmailComposer composer,
    SendPolicy policy,
    IEmailTransport transport,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<EmailDispatcher> logger) : BackgroundService
{
    private const int Workers = 4;

    // How often an idle worker looks for jobs queued by other instances or whose claim timed out.
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _claimTimeout = TimeSpan.FromSeconds(options.Value.ClaimTimeoutSeconds);

    // Once stopping, workers still take every job that is due (the drain) until none is or the host's shutdown
    // timeout ends the process; what is left is delivered after the restart, or by another instance.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
    [
        .. Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)),
        Task.Run(() => MeasureAsync(stoppingToken), CancellationToken.None),
    ]);

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            ClaimedEmailJob? claimed = null;
            try
            {
                claimed = await jobs.ClaimAsync(time.GetUtcNow(), _claimTimeout, CancellationToken.None);
                if (claimed is not null)
                {
                    await DeliverAsync(claimed, stoppingToken);
                    continue;
                }
            }
            catch (DependencyUnavailableException e)
            {
                // A claimed job stays claimed until its claim times out; then it is due again.
                LogStoreUnavailable(logger, e);
            }
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            await queue.WaitForWorkAsync(PollInterval, stoppingToken);
        }
    }

    private async Task MeasureAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.Stats = await jobs.StatsAsync(time.GetUtcNow(), stoppingToken);
                await Task.Delay(PollInterval, time, stoppingToken);
            }
            catch (DependencyUnavailableException)
            {
                // Readiness says so; the next round measures again.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(ClaimedEmailJob claimed, CancellationToken stoppingToken)
    {
        var job = claimed.Job;
        LoginEmail email;
        EmailOrigin origin;
        try
        {
            (email, origin) = payloads.Unprotect(job.Payload);
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            await jobs.FinishAsync(job.Id, claimed.Claim, CancellationToken.None);
            Drop("***", "unreadable", "the job could not be decrypted (Data Protection keys lost?)");
            return;
        }
        var to = MaskedAddress(email.To);
        if (claimed.MayHaveBeenSent)
        {
            await jobs.MarkUncertainAsync(job.Id, time.GetUtcNow(), CancellationToken.None);
            Drop(to, "uncertain", "the worker sending it stopped after SMTP DATA began; it may have been delivered, so it is not sent again");
            return;
        }
        if (time.GetUtcNow() >= job.ExpiresAt || claimed.Claims > options.Value.MaxDeliveryAttempts)
        {
            await jobs.FinishAsync(job.Id, claimed.Claim, CancellationToken.None);
            Drop(to, "expired", time.GetUtcNow() >= job.ExpiresAt ? "its code and link expired before it could be sent" : "claimed too often");
            return;
        }
        // The sign-in policy, off the request path and before anything is composed: refused or unanswered, no email.
        // Its own timeout bounds it, so a drain at shutdown still asks.
        if (!await policy.MaySendAsync(email, origin, CancellationToken.None))
        {
            await jobs.FinishAsync(job.Id, claimed.Claim, CancellationToken.None);
            return;
        }
        MimeKit.MimeMessage message;
        try
        {
            message = await composer.ComposeAsync(email);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            await jobs.FinishAsync(job.Id, claimed.Claim, CancellationToken.None);
            Drop(to, "render", $"the email could not be rendered ({e.GetType().Name})");
            return;
        }
        await SendAsync(claimed, message, to, stoppingToken);
    }

    private async Task SendAsync(ClaimedEmailJob claimed, MimeKit.MimeMessage message, string to, CancellationToken stoppingToken)
    {
        var job = claimed.Job;
        var attempts = options.Value.MaxDeliveryAttempts;
        for (var attempt = 1; ; attempt++)
        {
            if (!await jobs.MarkSendingAsync(job.Id, claimed.Claim, time.GetUtcNow(), _claimTimeout, CancellationToken.None))
            {
                LogClaimLost(logger, to);
                return;
            }
            try
            {
                await transport.DeliverAsync(message, CancellationToken.None);
            }
            catch (EmailDeliveryException e) when (!e.MayHaveBeenDelivered && attempt < attempts)
            {
                await jobs.MarkNotSentAsync(job.Id, claimed.Claim, time.GetUtcNow(), _claimTimeout, CancellationToken.None);
                metrics.Retried.Add(1);
                LogRetrying(logger, to, attempt, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    await jobs.ReleaseAsync(job.Id, claimed.Claim, time.GetUtcNow(), CancellationToken.None);
                    LogHandedBack(logger, to);
                    return;
                }
                continue;
            }
            catch (EmailDeliveryException e) when (!e.MayHaveBeenDelivered || e.InnerException is MailKit.Net.Smtp.SmtpCommandException)
            {
                // Nothing was accepted (out of attempts, or refused for good): finished, and said so.
                await jobs.FinishAsync(job.Id, claimed.Claim, CancellationToken.None);
                Drop(to, e.MayHaveBeenDelivered ? "rejected" : "attempts", e.Message);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await jobs.MarkUncertainAsync(job.Id, time.GetUtcNow(), CancellationToken.None);
                Drop(to, "uncertain", e is EmailDeliveryException ? e.Message : e.GetType().Name);
                return;
            }
            metrics.Sent.Add(1);
            metrics.QueueWait.Record((time.GetUtcNow() - job.QueuedAt).TotalMilliseconds);
            LogDelivered(logger, to, attempt);
            // Should this fail, the job stays marked as sending and is recorded as uncertain, never sent twice.
            await jobs.FinishAsync(job.Id, claimed.Claim, CancellationToken.None);
            return;
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
    private void Drop(string to, string reason, string detail)
    {
        LogDropped(logger, to, reason, detail);
        metrics.Dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Sign-in email to {To} dropped ({DropReason}): {Reason}")]
    private static partial void LogDropped(ILogger logger, string to, string dropReason, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Sign-in email to {To} handed back to the queue at shutdown; it goes out after the restart")]
    private static partial void LogHandedBack(ILogger logger, string to);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Sign-in email to {To}: its claim timed out and another worker holds it; not sent here")]
    private static partial void LogClaimLost(ILogger logger, string to);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "The email queue's store is unavailable; workers try again")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);
}
