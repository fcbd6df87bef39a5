namespace PasswordlessBff.Storage.Sqlite;

// Copies the WAL back into the database file every second, outside the single writer's queue, so no request's commit
// waits for a checkpoint's fsync (SqliteDatabase.WriteAsync turns SQLite's automatic checkpoint off). Real time, like
// the cache rule: it is upkeep of the file, not an event of the app's clock.
public sealed partial class SqliteCheckpoints(SqliteDatabase database, ILogger<SqliteCheckpoints> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await database.CheckpointAsync(stoppingToken);
                }
                catch (Errors.DependencyUnavailableException e)
                {
                    LogCheckpointFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Checkpointing the SQLite WAL failed; will try again")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
