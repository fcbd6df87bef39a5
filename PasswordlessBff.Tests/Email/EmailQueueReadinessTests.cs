using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PasswordlessBff.Email;
using PasswordlessBff.Tests.Infrastructure;

namespace PasswordlessBff.Tests.Email;

// Every sender gone (as if stuck): the queue stops moving while the store and SMTP still answer.
public sealed class NoSenderFactory() : BffFactory(new Dictionary<string, string?> { ["Email:QueueStalledSeconds"] = "30" })
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var sender = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(EmailDispatcher));
            services.Remove(sender);
        });
    }
}

public sealed class EmailQueueReadinessTests(NoSenderFactory factory) : IClassFixture<NoSenderFactory>
{
    [Fact]
    public async Task AQueueThatStoppedMovingMakesReadiness503AndShowsInTheDepthAndAgeGauges()
    {
        using var metrics = new MetricWatcher(factory.Services, EmailMetrics.MeterName);
        using var browser = factory.NewBrowser();
        await browser.SendAsync(Addresses.Unique());
        await Expect.StatusAsync(await browser.GetAsync("/readyz"), HttpStatusCode.OK);

        factory.Time.Advance(TimeSpan.FromSeconds(31));
        var ready = await browser.GetAsync("/readyz");

        await Expect.StatusAsync(ready, HttpStatusCode.ServiceUnavailable);
        var queue = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("email-queue");
        Assert.Equal("Unhealthy", queue.GetProperty("status").GetString());
        Assert.Contains("waited 31 s (1 queued)", queue.GetProperty("description").GetString(), StringComparison.Ordinal);
        var meters = factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        var observed = new Dictionary<string, double>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EmailMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Equal(1, observed["passwordless.emails.queue_depth"]);
        // The store keeps milliseconds; the fake clock started between two.
        Assert.InRange(observed["passwordless.emails.queue_age"], 31, 31.001);
        Assert.Equal(1, metrics.Total("passwordless.emails.queued"));
    }
}
