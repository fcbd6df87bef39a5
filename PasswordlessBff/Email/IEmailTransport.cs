using MimeKit;

namespace PasswordlessBff.Email;

// Delivers one composed message; SMTP in production, the dev mailbox in Development without SMTP.
public interface IEmailTransport
{
    Task DeliverAsync(MimeMessage message, CancellationToken ct);

    Task CheckAsync(CancellationToken ct);
}

// MayHaveBeenDelivered is true once the message could have reached the server: such a failure is never retried.
public sealed class EmailDeliveryException(string reason, bool mayHaveBeenDelivered, Exception? inner = null)
    : Exception(reason, inner)
{
    public bool MayHaveBeenDelivered { get; } = mayHaveBeenDelivered;
}
