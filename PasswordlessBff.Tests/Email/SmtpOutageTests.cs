using System.Net;
using System.Net.Sockets;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Email;

// Nothing listens on this port: SMTP is down from the start.
public sealed class SmtpDownFactory() : BffFactory(new Dictionary<string, string?> { ["Email:Smtp:Port"] = ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture) })
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

// SECURITY.md item 24: with SMTP down, send answers exactly as usual (no oracle), mail is retried with backoff, and
// readiness says so.
public sealed class SmtpOutageTests(SmtpDownFactory factory) : IClassFixture<SmtpDownFactory>
{
    [Fact]
    public async Task WithSmtpDownSendStillAnswers200TheEmailIsRetriedWithBackoffAndReadinessIs503()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("smtp-down");

        var sent = await browser.SendAsync(email);

        Assert.False(string.IsNullOrEmpty(sent.AuthRequestId));
        Assert.Equal(300, sent.ExpiresIn);
        await Eventually.StatusAsync(() => browser.GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));
        await RetryLoggedAsync(attempt: 1);
        // The backoff waits on the clock: nothing more happens until it moves past the first delay (1 s).
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        await RetryLoggedAsync(attempt: 2);
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains("Attempt=3", StringComparison.Ordinal) && line.Contains("[4002]", StringComparison.Ordinal));
    }

    private async Task RetryLoggedAsync(int attempt)
    {
        for (var i = 0; i < 200; i++)
        {
            if (factory.Logs.Lines.Any(line => line.Contains("[4002]", StringComparison.Ordinal) && line.Contains($"Attempt={attempt}", StringComparison.Ordinal)))
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"no retry logged for attempt {attempt}: {string.Join("\n", factory.Logs.Lines.Where(l => l.Contains("Email", StringComparison.Ordinal)))}");
    }
}
