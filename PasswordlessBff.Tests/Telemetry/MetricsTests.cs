using System.Net;
using PasswordlessBff.Auth;
using PasswordlessBff.Email;
using PasswordlessBff.Sessions;
using PasswordlessBff.Telemetry;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Telemetry;

public abstract class MetricsTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : BffFactory
{
    [Fact]
    public async Task ASignInAResendAWrongCodeAndALimitedSendMoveEachCounterWithItsCode()
    {
        using var metrics = new MetricWatcher(factory.Services, AuthMetrics.MeterName, EmailMetrics.MeterName, UpstreamMetrics.MeterName);
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("metrics");

        await browser.SendAsync(email);
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await Expect.StatusAsync(await browser.PostAsync(AuthApi.ResendPath), HttpStatusCode.OK);
        // The third email within a minute is over the per-address limit.
        await Expect.ProblemAsync(await browser.PostAsync(AuthApi.SendPath, new { email }), HttpStatusCode.TooManyRequests, "rate_limited");
        var mail = await LoginMail.ReceiveAsync(factory, email, nth: 2);
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(Codes.Other(mail.Code!)), HttpStatusCode.BadRequest, "credential_invalid");
        await Expect.StatusAsync(await browser.VerifyCodeAsync(mail.Code!), HttpStatusCode.OK);
        await Expect.StatusAsync(await browser.PostAsync(SessionApi.LogoutPath), HttpStatusCode.NoContent);
        await metrics.WaitForAsync("passwordless.emails.sent", 2);

        Assert.Equal(1, metrics.Total("passwordless.sends", ("code", "success")));
        Assert.Equal(1, metrics.Total("passwordless.sends", ("code", "rate_limited")));
        Assert.Equal(1, metrics.Total("passwordless.resends", ("code", "success")));
        Assert.Equal(1, metrics.Total("passwordless.rate_limit.rejections", ("limit", "address")));
        Assert.Equal(1, metrics.Total("passwordless.verifications", ("method", "code"), ("code", "credential_invalid")));
        Assert.Equal(1, metrics.Total("passwordless.verifications", ("method", "code"), ("code", "success")));
        Assert.Equal(2, metrics.Count("passwordless.verification.duration", ("method", "code")));
        Assert.Equal(1, metrics.Total("passwordless.logouts"));
        Assert.Equal(2, metrics.Total("passwordless.emails.queued"));
        Assert.Equal(2, metrics.Total("passwordless.emails.sent"));
        Assert.Equal(0, metrics.Total("passwordless.emails.dropped"));
        Assert.Equal(2, metrics.Count("passwordless.emails.queue_wait"));
        Assert.True(metrics.Count("passwordless.upstream.duration", ("upstream", "smtp"), ("operation", "deliver"), ("outcome", "ok")) >= 2);
        AssertStoreTimed(metrics);
    }

    [Fact]
    public async Task AFailedLinkCountsAsALinkVerificationWithItsCode()
    {
        using var metrics = new MetricWatcher(factory.Services, AuthMetrics.MeterName);
        using var browser = factory.NewBrowser();

        // A link opened where no login was started: nothing is consumed, the outcome is still counted.
        await browser.GetAsync(AuthApi.VerifyPath + "?link_token=abcdefghijklmnopqrstuvwxyz");

        Assert.Equal(1, metrics.Total("passwordless.verifications", ("method", "link"), ("code", "browser_mismatch")));
    }

    protected virtual void AssertStoreTimed(MetricWatcher metrics)
    {
    }
}

public sealed class MetricsTestsOnSqlite(Bff<SqliteStore, Defaults> factory) : MetricsTests<Bff<SqliteStore, Defaults>>(factory);

public sealed class MetricsTestsOnRedis(Bff<RedisStore, Defaults> factory) : MetricsTests<Bff<RedisStore, Defaults>>(factory)
{
    // Every Redis round trip is an upstream call too.
    protected override void AssertStoreTimed(MetricWatcher metrics) =>
        Assert.True(metrics.Count("passwordless.upstream.duration", ("upstream", "redis"), ("outcome", "ok")) > 0);
}

public sealed class PrometheusFactory() : BffFactory(new Dictionary<string, string?> { ["Telemetry:Prometheus"] = "true" });

public sealed class PrometheusTests(PrometheusFactory factory) : IClassFixture<PrometheusFactory>
{
    [Fact]
    public async Task WithPrometheusOnMetricsServesTheSignInCountersInTextFormat()
    {
        using var browser = factory.NewBrowser();
        var email = Addresses.Unique("scrape");
        await browser.SendAsync(email);
        var mail = await LoginMail.ReceiveAsync(factory, email);
        await Expect.ProblemAsync(await browser.VerifyCodeAsync(Codes.Other(mail.Code!)), HttpStatusCode.BadRequest, "credential_invalid");

        // The exporter caches a scrape briefly: look again until this host's counters are in it.
        var text = "";
        for (var attempt = 0; attempt < 50 && !text.Contains("code=\"credential_invalid\"", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 100);
            var scrape = await browser.GetAsync("/metrics");
            await Expect.StatusAsync(scrape, HttpStatusCode.OK);
            text = await scrape.Content.ReadAsStringAsync();
        }

        Assert.Contains("passwordless_sends_total{", text, StringComparison.Ordinal);
        Assert.Contains("passwordless_verifications_total{", text, StringComparison.Ordinal);
        Assert.Contains("code=\"credential_invalid\"", text, StringComparison.Ordinal);
        Assert.Contains("passwordless_emails_queued_total", text, StringComparison.Ordinal);
        Assert.Contains("passwordless_verification_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.DoesNotContain(email, text, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class PrometheusOffByDefaultTests(Bff<SqliteStore, Defaults> factory) : IClassFixture<Bff<SqliteStore, Defaults>>
{
    [Fact]
    public async Task WithoutTheSettingThereIsNoMetricsEndpoint()
    {
        using var browser = factory.NewBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/metrics")).StatusCode);
    }
}
