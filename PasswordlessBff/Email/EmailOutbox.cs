using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Email;

// Hands sign-in emails to the background sender so a request never waits on SMTP (SECURITY.md item 11).
public sealed class EmailOutbox(IOptions<EmailOptions> options)
{
    private readonly Channel<LoginEmail> _channel = Channel.CreateBounded<LoginEmail>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    public bool TryEnqueue(LoginEmail email) => _channel.Writer.TryWrite(email);

    public ChannelReader<LoginEmail> Reader => _channel.Reader;

    public void Complete() => _channel.Writer.TryComplete();
}
