using Microsoft.Extensions.Options;

namespace PasswordlessBff.Storage.Sqlite;

// The session cache's view of the change log: triggers append every change to a session row but a forward last-seen
// (revocation by any instance, an operator's UPDATE or DELETE) to session_changes, and a cached copy answers only
// after the log has been read within Storage__Sqlite__RevocationCheckSeconds (0.25 s of real time) and did not name it.
// - One read at most per interval, however many checks: the first check after the interval reads the log (one indexed
//   range of seq) and the checks arriving meanwhile wait for that same read.
// - A gap (rows swept before this instance read them, more than it would read at once) or a log that went back (the
//   file restored from a backup) clears the whole cache, so nothing the log may have named survives.
public sealed class SqliteSessionChanges(SqliteDatabase database, SessionCache cache, IOptions<StorageOptions> storage)
{
    private const int MaxChangesPerRead = 10_000;

    private readonly TimeSpan _interval = TimeSpan.FromSeconds(storage.Value.Sqlite.RevocationCheckSeconds);
    private readonly Lock _gate = new();
    private Task? _reading;
    private long _readStartedAt = long.MinValue;
    private long _lastSeq = -1;

    // Completes once the log has been read within the interval and what it named is evicted.
    public Task CatchUpAsync(CancellationToken ct)
    {
        var started = Interlocked.Read(ref _readStartedAt);
        if (started != long.MinValue && TimeProvider.System.GetElapsedTime(started) < _interval)
        {
            return Task.CompletedTask;
        }
        Task reading;
        lock (_gate)
        {
            reading = _reading ??= ReadAsync();
        }
        return reading.WaitAsync(ct);
    }

    private async Task ReadAsync()
    {
        await Task.Yield();
        try
        {
            // Taken before the read: a change committed after this moment is left for the next read.
            var startedAt = TimeProvider.System.GetTimestamp();
            var (high, changed) = await database.RunAsync(async connection =>
            {
                // The sequence survives the sweep of old rows; rows up to it were committed before it was read.
                var high = await connection.ScalarAsync<long>("SELECT seq FROM sqlite_sequence WHERE name = 'session_changes'", CancellationToken.None);
                var changed = new List<string>();
                if (_lastSeq >= 0 && high > _lastSeq && high - _lastSeq <= MaxChangesPerRead)
                {
                    await using var command = connection.Command(
                        "SELECT session_id FROM session_changes WHERE seq > $last AND seq <= $high",
                        ("$last", _lastSeq), ("$high", high));
                    await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                    while (await reader.ReadAsync(CancellationToken.None))
                    {
                        changed.Add(reader.GetString(0));
                    }
                }
                return (high, changed);
            }, CancellationToken.None);
            if (_lastSeq < 0 || high < _lastSeq || changed.Count != high - _lastSeq)
            {
                // First read, a restored file, or changes this instance can no longer see one by one.
                cache.Clear();
            }
            else if (changed.Count > 0)
            {
                cache.EvictAll(changed);
            }
            _lastSeq = high;
            Interlocked.Exchange(ref _readStartedAt, startedAt);
        }
        finally
        {
            lock (_gate)
            {
                _reading = null;
            }
        }
    }
}
