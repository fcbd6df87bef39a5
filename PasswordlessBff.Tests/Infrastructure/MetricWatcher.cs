using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PasswordlessBff.Tests.Infrastructure;

// Listens to meters of one host and lets a test wait for a counter to reach a value, in total or for given tags.
public sealed class MetricWatcher : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly object _host;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Only the instruments of this host's meter factory: parallel test hosts use the same meter names.
    public MetricWatcher(IServiceProvider hostServices, params string[] meterNames)
    {
        _host = hostServices.GetService(typeof(IMeterFactory))!;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meterNames.Contains(instrument.Meter.Name) && ReferenceEquals(instrument.Meter.Scope, _host))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);

    public IReadOnlyCollection<Measurement> Measurements => _measurements;

    // The sum of a counter's measurements whose tags include all the given ones.
    public long Total(string instrument, params (string Key, string Value)[] tags) =>
        (long)Matching(instrument, tags).Sum(m => m.Value);

    // How many values a histogram recorded with tags including the given ones.
    public int Count(string instrument, params (string Key, string Value)[] tags) => Matching(instrument, tags).Count();

    public async Task WaitForAsync(string instrument, long atLeast, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (Total(instrument) < atLeast)
        {
            await _changed.Task.WaitAsync(deadline.Token);
        }
    }

    public void Dispose() => _listener.Dispose();

    private IEnumerable<Measurement> Matching(string instrument, (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument
            && tags.All(tag => m.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value));

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var copy = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }
        _measurements.Enqueue(new Measurement(instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
    }
}
