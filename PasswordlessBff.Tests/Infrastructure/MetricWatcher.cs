using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PasswordlessBff.Tests.Infrastructure;

// Listens to one meter of a host and lets a test wait for a counter to reach a value.
public sealed class MetricWatcher : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();
    private readonly object _host;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Only the instruments of this host's meter factory: parallel test hosts use the same meter names.
    public MetricWatcher(IServiceProvider hostServices, string meterName)
    {
        _host = hostServices.GetService(typeof(IMeterFactory))!;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, _host))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        });
        _listener.Start();
    }

    public long Total(string instrument) => _totals.GetValueOrDefault(instrument);

    public async Task WaitForAsync(string instrument, long atLeast, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (Total(instrument) < atLeast)
        {
            await _changed.Task.WaitAsync(deadline.Token);
        }
    }

    public void Dispose() => _listener.Dispose();
}
