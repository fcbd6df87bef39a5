using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Durability;

// A burst of sends and verifications against real service processes, with one of them killed in the middle, and what
// the service then owes: an email for every send it accepted, a working session for every verification it accepted.
public sealed class SignInBurst
{
    private const int Senders = 4;
    private const int MaxSendsPerSender = 60;
    private static readonly TimeSpan MaxBurst = TimeSpan.FromSeconds(20);

    private readonly ConcurrentBag<(string Address, string LoginId)> _acceptedSends = [];
    private readonly ConcurrentBag<string> _acceptedSessions = [];

    public IReadOnlyCollection<(string Address, string LoginId)> AcceptedSends => _acceptedSends;

    public IReadOnlyCollection<string> AcceptedSessions => _acceptedSessions;

    // Accepted sends with no email yet when the process died: what the restart (or the other instance) owes.
    public int UndeliveredAtKill { get; private set; }

    // Logins whose email has arrived, ready to be verified during the burst.
    public static async Task<IReadOnlyList<(string LoginId, string Code)>> PrepareAsync(ServiceProcess service, int count)
    {
        using var client = service.ClientFrom();
        var prepared = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var address = Addresses.Unique("crash-verify");
            var sent = await PostAsync(client, AuthApi.SendPath, new { email = address });
            Assert.Equal(HttpStatusCode.OK, sent?.StatusCode);
            var loginId = (await sent!.Content.ReadFromJsonAsync<SendResponse>())!.AuthRequestId;
            prepared.Add((loginId, LoginMail.From(await service.Smtp.WaitForAsync(address)).Code!));
        }
        return prepared;
    }

    // Sends to every target in turn and verifies the prepared logins, killing `victim` once `killAfter` sends were
    // accepted and at least half the verifications were tried. Bounded in requests and time.
    public async Task RunAsync(IReadOnlyList<ServiceProcess> targets, IReadOnlyList<(string LoginId, string Code)> prepared,
        ServiceProcess victim, int killAfter)
    {
        var clients = targets.Select(t => t.ClientFrom()).ToList();
        var elapsed = Stopwatch.StartNew();
        var verificationsTried = 0;
        var killed = new TaskCompletionSource();
        async Task SendLoopAsync(int sender)
        {
            for (var i = 0; i < MaxSendsPerSender && elapsed.Elapsed < MaxBurst && !AllDown(); i++)
            {
                var address = Addresses.Unique("crash-send");
                var sent = await PostAsync(clients[(sender + i) % clients.Count], AuthApi.SendPath, new { email = address });
                if (sent?.StatusCode == HttpStatusCode.OK)
                {
                    _acceptedSends.Add((address, (await sent.Content.ReadFromJsonAsync<SendResponse>())!.AuthRequestId));
                }
                if (_acceptedSends.Count >= killAfter && Volatile.Read(ref verificationsTried) >= prepared.Count / 2 && !killed.Task.IsCompleted)
                {
                    killed.TrySetResult();
                }
            }
        }
        async Task VerifyLoopAsync()
        {
            for (var i = 0; i < prepared.Count && elapsed.Elapsed < MaxBurst && !AllDown(); i++)
            {
                var (loginId, code) = prepared[i];
                var verified = await PostAsync(clients[i % clients.Count], AuthApi.VerifyPath, new { code, authRequestId = loginId });
                Interlocked.Increment(ref verificationsTried);
                if (verified?.StatusCode == HttpStatusCode.OK)
                {
                    _acceptedSessions.Add(SessionCookie(verified));
                }
            }
        }
        bool AllDown() => killed.Task.IsCompleted && targets.Count == 1;
        var loops = Enumerable.Range(0, Senders).Select(SendLoopAsync).Append(VerifyLoopAsync()).ToList();
        await Task.WhenAny(killed.Task, Task.WhenAll(loops));
        Assert.True(killed.Task.IsCompleted, $"the burst ended before the kill: {_acceptedSends.Count} sends, {verificationsTried} verifications");
        await victim.KillAsync();
        UndeliveredAtKill = _acceptedSends.Count(s => victim.Smtp.CountFor(s.Address) == 0);
        await Task.WhenAll(loops);
        clients.ForEach(c => c.Dispose());
    }

    // Every accepted send has exactly one email at the sink, except those recorded as uncertain (a worker died while its
    // DATA may have been accepted), which have at most one; waits, bounded, until the queue is empty.
    public async Task AssertEveryAcceptedSendHasExactlyOneEmailAsync(SmtpSink smtp, Func<Task<(long Depth, IReadOnlySet<string> UncertainLogins)>> queue)
    {
        var waited = Stopwatch.StartNew();
        var (depth, uncertain) = await queue();
        while ((depth > 0 || _acceptedSends.Any(s => smtp.CountFor(s.Address) == 0 && !uncertain.Contains(s.LoginId))) && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
            (depth, uncertain) = await queue();
        }
        Assert.Equal(0, depth);
        var missing = _acceptedSends.Where(s => smtp.CountFor(s.Address) == 0 && !uncertain.Contains(s.LoginId)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {_acceptedSends.Count} accepted sends got no email and are not recorded as uncertain");
        Assert.All(_acceptedSends, s => Assert.InRange(smtp.CountFor(s.Address), 0, 1));
        Assert.All(_acceptedSends.Where(s => !uncertain.Contains(s.LoginId)), s => Assert.Equal(1, smtp.CountFor(s.Address)));
        // Only what a worker held at the kill can be uncertain: at most one job per worker of the killed instance.
        Assert.InRange(_acceptedSends.Count(s => uncertain.Contains(s.LoginId)), 0, 4);
    }

    public async Task AssertEveryAcceptedSessionWorksAsync(ServiceProcess service)
    {
        using var client = service.ClientFrom();
        Assert.NotEmpty(_acceptedSessions);
        foreach (var cookie in _acceptedSessions)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, SessionApi.MePath);
            request.Headers.Add("Cookie", $"{Sessions.SessionKit.SessionCookieName}={cookie}");
            using var me = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
    }

    private static string SessionCookie(HttpResponseMessage verified) =>
        Sessions.SessionKit.SetCookie(verified, Sessions.SessionKit.SessionCookieName).Value.ToString();

    // A killed process answers nothing: the request fails, and that is no acceptance.
    private static async Task<HttpResponseMessage?> PostAsync(HttpClient client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF", "1");
        try
        {
            return await client.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
