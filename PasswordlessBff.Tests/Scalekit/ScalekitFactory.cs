using MimeKit;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Scalekit;

// The service with Passwordless:Provider=Scalekit, pointed at its own fake Scalekit on loopback.
public class ScalekitFactory : BffFactory, IAsyncLifetime
{
    public ScalekitFactory() : this(new FakeScalekit(), new Dictionary<string, string?>())
    {
    }

    internal ScalekitFactory(FakeScalekit scalekit, IDictionary<string, string?> overrides)
        : base(Settings(scalekit, overrides))
    {
        Scalekit = scalekit;
        scalekit.Time = Time;
    }

    public FakeScalekit Scalekit { get; }

    // Scalekit "sends" the email: what it recorded, as the person would read it.
    public override Task<LoginMail> ReceiveMailAsync(string address, int nth = 1)
    {
        var sent = Scalekit.EmailsTo(address)[nth - 1];
        var message = new MimeMessage { Subject = "Sign in" };
        message.To.Add(MailboxAddress.Parse(sent.Email));
        message.Body = new TextPart("plain") { Text = $"{sent.Code}\n{sent.Link}\n" };
        return Task.FromResult(LoginMail.From(message));
    }

    private static Dictionary<string, string?> Settings(FakeScalekit scalekit, IDictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Passwordless:Provider"] = "Scalekit",
            // The names Scalekit's own docs use; plain http is accepted because the host is loopback.
            ["SCALEKIT_ENVIRONMENT_URL"] = scalekit.BaseUrl,
            ["SCALEKIT_CLIENT_ID"] = FakeScalekit.ClientId,
            ["SCALEKIT_CLIENT_SECRET"] = FakeScalekit.ClientSecret,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        return settings;
    }

    private bool _disposed;

    // Also reached through IDisposable and `await using`, so the fakes stop however a test ends the host.
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_disposed)
        {
            _disposed = true;
            await Smtp.DisposeAsync();
            await Scalekit.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

// Same-browser enforcement off on both sides: a link may finish in another browser after a deliberate confirmation.
public sealed class ScalekitLooseBrowserFactory() : ScalekitFactory(new FakeScalekit { EnforceSameBrowser = false },
    new Dictionary<string, string?> { ["Passwordless:EnforceSameBrowser"] = "false" });
