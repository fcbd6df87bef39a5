using System.Globalization;
using System.Net;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Hosting;

// The development service on a real localhost socket, so the peer address and the Host header are what a browser sends.
public sealed class DevMailboxSocketHost : BffFactory
{
    public DevMailboxSocketHost() : base(DevelopmentWithoutSmtpFactory.Settings)
    {
        Environment = "Development";
        Port = FreePort.Next();
        UseKestrel(kestrel => kestrel.ListenLocalhost(Port));
    }

    public int Port { get; }
}

// The dev mailbox holds live sign-in links: only the developer's own machine may read it, and only under a loopback
// host name, so a page on another site that rebinds its DNS name to 127.0.0.1 cannot fetch it.
public sealed class DevMailboxOverASocketTests : IClassFixture<DevMailboxSocketHost>
{
    private readonly DevMailboxSocketHost _host;

    public DevMailboxOverASocketTests(DevMailboxSocketHost host)
    {
        _host = host;
        host.StartServer();
    }

    [Theory]
    [InlineData("localhost:{port}")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("[::1]:{port}")]
    public async Task TheMailboxAnswersALoopbackPeerThatAskedForALoopbackHost(string host)
    {
        await Expect.StatusAsync(await GetFromLoopbackAsync("/dev/mailbox", host), HttpStatusCode.OK);
        await Expect.StatusAsync(await GetFromLoopbackAsync("/dev/mailbox/messages", host), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("localhost.evil.example:{port}")]
    public async Task TheMailboxIsNotFoundForALoopbackPeerThatAskedForAnotherHost(string host)
    {
        await Expect.ProblemAsync(await GetFromLoopbackAsync("/dev/mailbox", host), HttpStatusCode.NotFound, "not_found");
        await Expect.ProblemAsync(await GetFromLoopbackAsync("/dev/mailbox/messages", host), HttpStatusCode.NotFound, "not_found");
    }

    private async Task<HttpResponseMessage> GetFromLoopbackAsync(string path, string host)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_host.Port}") };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host.Replace("{port}", _host.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}

public sealed class DevMailboxRemotePeerTests(DevelopmentWithoutSmtpFactory factory) : IClassFixture<DevelopmentWithoutSmtpFactory>
{
    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("2001:db8::10")]
    public async Task TheMailboxAnswersANonLoopbackPeerExactlyLikeAnUnknownPath(string peer)
    {
        using var browser = factory.NewBrowser();
        var unknown = await GetFromAsync(browser, "/dev/no-such-page", peer);

        foreach (var path in new[] { "/dev/mailbox", "/dev/mailbox/messages" })
        {
            var mailbox = await GetFromAsync(browser, path, peer);
            await Expect.ProblemAsync(mailbox, HttpStatusCode.NotFound, "not_found");
            Assert.Equal(await unknown.Content.ReadAsStringAsync(), await mailbox.Content.ReadAsStringAsync());
        }
    }

    private static Task<HttpResponseMessage> GetFromAsync(Browser browser, string path, string peer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.From(peer);
        return browser.Http.SendAsync(request);
    }
}
