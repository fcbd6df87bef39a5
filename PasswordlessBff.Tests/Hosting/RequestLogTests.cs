using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Hosting;

// Even with every log level turned up, the framework's request log never prints a magic link's query string.
public sealed class VerboseLoggingFactory() : BffFactory(new Dictionary<string, string?>
{
    ["Logging:LogLevel:Default"] = "Trace",
    ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
});

public sealed class RequestLogTests(VerboseLoggingFactory factory) : IClassFixture<VerboseLoggingFactory>
{
    [Fact]
    public async Task NoLogLineCarriesTheLinkTokenCodeOrAddressEvenAtTrace()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("secret-person");
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        using var scanner = factory.NewBrowser();
        await scanner.OpenLinkAsync(mail.Link!);
        Expect.RedirectTo(await browser.OpenLinkAsync(mail.Link!), "/");
        var session = browser.Cookie("__Host-pwl-session")!;

        Assert.NotEmpty(factory.Logs.Lines);
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(mail.LinkToken!, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(email, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(session, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, $@"\b{mail.Code}\b"));
    }
}
