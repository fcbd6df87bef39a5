using Microsoft.Extensions.Options;

namespace PasswordlessBff.Storage;

// Creates the schema before the first request, then sweeps expired rows on a timer.
public sealed partial class StoreHousekeeping(
    IStoreMaintenance store, IOptions<StorageOptions> options, TimeProvider time, ILogger<StoreHousekeeping> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var removed = await store.SweepExpiredAsync(time.GetUtcNow(), stoppingToken);
                    LogSwept(logger, removed);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Swept {Removed} expired rows from the store")]
    private static partial void LogSwept(ILogger logger, int removed);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Sweeping expired rows failed; will try again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
