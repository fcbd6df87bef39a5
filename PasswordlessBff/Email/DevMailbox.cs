using System.Collections.Concurrent;
using MimeKit;

namespace PasswordlessBff.Email;

public sealed record DevMailboxMessage(string Id, string To, string Subject, string Text, string Html, DateTimeOffset ReceivedAt);

// Development without SMTP: messages are kept in memory (the newest 100) for the /dev/mailbox page.
public sealed class DevMailbox(TimeProvider time) : IEmailTransport
{
    private const int Capacity = 100;
    private readonly ConcurrentQueue<DevMailboxMessage> _messages = new();

    public IReadOnlyList<DevMailboxMessage> NewestFirst => _messages.Reverse().ToList();

    public Task DeliverAsync(MimeMessage message, CancellationToken ct)
    {
        _messages.Enqueue(new DevMailboxMessage(
            Guid.NewGuid().ToString("N"), message.To.ToString(), message.Subject ?? "",
            message.TextBody ?? "", message.HtmlBody ?? "", time.GetUtcNow()));
        while (_messages.Count > Capacity && _messages.TryDequeue(out _))
        {
        }
        return Task.CompletedTask;
    }

    public Task CheckAsync(CancellationToken ct) => Task.CompletedTask;
}
