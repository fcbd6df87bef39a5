using PasswordlessBff.Email;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Email;

public sealed class EmailSenderTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task APermanentSmtpRefusalIsNotRetriedAndIsCountedAndLoggedAsDropped()
    {
        using var metrics = new MetricWatcher(factory.Services, EmailMetrics.MeterName);
        using var browser = factory.NewBrowser();
        var refusedBefore = factory.Smtp.Refused;
        factory.Smtp.RejectNext = 1;
        await browser.SendAsync(Addresses.Unique());

        await metrics.WaitForAsync("passwordless.emails.dropped", 1);
        Assert.Equal(refusedBefore + 1, factory.Smtp.Refused);
        Assert.Equal(0, metrics.Total("passwordless.emails.retried"));
        Assert.Contains(factory.Logs.Lines, line => line.Contains("[4003]", StringComparison.Ordinal) && line.Contains("rejected the message", StringComparison.Ordinal));
    }
}

public sealed class SmtpConnectionReuseTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task ConsecutiveEmailsShareAnOpenSmtpConnection()
    {
        using var browser = factory.NewBrowser();
        var before = factory.Smtp.Connections;
        for (var i = 0; i < 5; i++)
        {
            var email = Addresses.Unique();
            await browser.SendAsync(email);
            await factory.Smtp.WaitForAsync(email);
        }
        Assert.InRange(factory.Smtp.Connections - before, 1, 2);
    }
}

public sealed class EmailDrainTests
{
    [Fact]
    public async Task StoppingTheServiceDeliversWhatIsStillQueued()
    {
        await using var smtp = new SmtpSink();
        var addresses = Enumerable.Range(0, 8).Select(_ => Addresses.Unique()).ToList();
        var factory = new BffFactory(new Dictionary<string, string?>(), sharedSmtp: smtp);
        await using (factory)
        {
            using var browser = factory.NewBrowser();
            foreach (var address in addresses)
            {
                await browser.SendAsync(address);
            }
        }
        Assert.All(addresses, address => Assert.Equal(1, smtp.CountFor(address)));
    }
}
