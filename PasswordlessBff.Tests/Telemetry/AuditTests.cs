using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PasswordlessBff.Auth;
using PasswordlessBff.Sessions;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Telemetry;

public abstract class AuditTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task ASignInAndAFailedCodeLeaveAuditEventsWithPseudonymsOutcomeAndCorrelationButNoSecret()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("audit");
        var sent = await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(Codes.Other(mail.Code!)), HttpStatusCode.BadRequest, "credential_invalid");
        var verified = await browser.VerifyCodeAsync(mail.Code!);
        await Expect.StatusAsync(verified, HttpStatusCode.OK);
        await Expect.StatusAsync(await browser.PostAsync(SessionApi.LogoutPath), HttpStatusCode.NoContent);

        var account = factory.Services.GetRequiredService<AuditPseudonyms>().Account(email);
        var audit = AuditLines(account);
        AssertEvent(audit, 7001, "success");
        AssertEvent(audit, 7005, "credential_invalid");
        AssertEvent(audit, 7004, "success");
        AssertEvent(audit, 7007, "success");
        // The same login is named by the same reference in every event about it.
        var login = Field(audit.First(line => line.Contains("[7001]", StringComparison.Ordinal)), "LoginRef");
        Assert.Equal(login, Field(audit.First(line => line.Contains("[7004]", StringComparison.Ordinal)), "LoginRef"));
        Assert.Equal(login, Field(audit.First(line => line.Contains("[7005]", StringComparison.Ordinal)), "LoginRef"));

        string[] secrets = [email, mail.Code!, mail.LinkToken!, sent.AuthRequestId, browser.Cookie("__Host-pwl-login") ?? "", ClientAddress.Value.ToString()];
        foreach (var secret in secrets.Where(s => s.Length > 0))
        {
            Assert.DoesNotContain(audit, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task TheFifthWrongCodeLocksTheLoginAndIsAuditedAsLocked()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("locked");
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        for (var i = 0; i < 5; i++)
        {
            await browser.VerifyCodeAsync(Codes.Other(mail.Code!));
        }

        var audit = AuditLines(factory.Services.GetRequiredService<AuditPseudonyms>().Account(email));
        Assert.Equal(4, audit.Count(line => line.Contains("[7005]", StringComparison.Ordinal)));
        AssertEvent(audit, 7006, "too_many_attempts");
    }

    private List<string> AuditLines(string account) => factory.Logs.Lines
        .Where(line => line.Contains($" {AuditLog.Category}[", StringComparison.Ordinal) && line.Contains($"AccountId={account}", StringComparison.Ordinal))
        .ToList();

    private static void AssertEvent(List<string> audit, int eventId, string outcome)
    {
        var line = audit.FirstOrDefault(l => l.Contains($"[{eventId}]", StringComparison.Ordinal));
        Assert.True(line is not null, $"no audit event {eventId} in:{Environment.NewLine}{string.Join(Environment.NewLine, audit)}");
        Assert.Contains($"Outcome={outcome}", line, StringComparison.Ordinal);
        Assert.Matches("ClientHash=[A-Za-z0-9_-]{22}( |$)", line);
        Assert.Matches("CorrelationId=[0-9A-Za-z:-]{8,}( |$)", line);
        Assert.DoesNotContain("AccountId=unknown", line, StringComparison.Ordinal);
    }

    private static string Field(string line, string name) =>
        System.Text.RegularExpressions.Regex.Match(line, $"{name}=([^ ]+)").Groups[1].Value;
}

public sealed class AuditTestsOnSqlite(Bff<SqliteStore, ClientAddress> factory) : AuditTests<Bff<SqliteStore, ClientAddress>>(factory);

public sealed class AuditTestsOnRedis(Bff<RedisStore, ClientAddress> factory) : AuditTests<Bff<RedisStore, ClientAddress>>(factory);

public sealed class AuditTestsOnRedisCluster(Bff<RedisClusterStore, ClientAddress> factory)
    : AuditTests<Bff<RedisClusterStore, ClientAddress>>(factory);

// The test server leaves the remote address empty; these hosts see every request come from one documentation address.
// Every request of these hosts comes from one known client address.
public sealed class ClientAddress : ISettingsProfile
{
    public static readonly IPAddress Value = IPAddress.Parse("203.0.113.7");

    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public static void Configure(IWebHostBuilder builder) => SimulatedPeer.Use(builder, Value);
}
