using MimeKit;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Email;

public sealed class EmailDeliveryTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task TheEmailIsMultipartWithTheLinkCodeAndExpiryInBothParts()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);

        var message = mail.Message;
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal("text/plain", alternative[0].ContentType.MimeType);
        Assert.Equal("text/html", alternative[1].ContentType.MimeType);
        Assert.Equal("Sign in to PasswordlessBff", message.Subject);
        Assert.Equal("no-reply@tests.example", message.From.Mailboxes.Single().Address);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains(mail.Code!, body, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(mail.Link!.AbsoluteUri), System.Net.WebUtility.HtmlEncode(body), StringComparison.Ordinal);
            Assert.Contains("5 minutes", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ATemporarySmtpRefusalIsRetriedAndDeliversExactlyOneMessage()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique();
        factory.Smtp.DeferNext = 1;
        await browser.SendAsync(email);

        // The retry waits on the fake clock: move it until the message arrives.
        var delivered = factory.Smtp.WaitForAsync(email);
        while (!delivered.IsCompleted)
        {
            factory.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(delivered, Task.Delay(50));
        }
        await delivered;
        Assert.Equal(1, factory.Smtp.CountFor(email));
        Assert.Equal(0, factory.Smtp.DeferNext);
    }
}
