namespace PasswordlessBff.Storage.Sqlite;

// Last-seen writes share commits: every touch that arrives while the single writer is busy joins the next batch, which
// is one transaction, and each caller returns once the batch holding its touch is committed. At 100,000 sessions each
// written once a minute that is about 1,700 touches a second, which one commit apiece would spend on the writer queue.
public sealed class SqliteLastSeenWrites(SqliteDatabase database)
{
    private readonly Lock _gate = new();
    private Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private TaskCompletionSource? _batch;

    public Task WriteAsync(string sessionId, DateTimeOffset now, CancellationToken ct)
    {
        var at = now.ToUnixTimeMilliseconds();
        TaskCompletionSource batch;
        var first = false;
        lock (_gate)
        {
            _pending[sessionId] = Math.Max(at, _pending.GetValueOrDefault(sessionId));
            if (_batch is null)
            {
                _batch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                first = true;
            }
            batch = _batch;
        }
        if (first)
        {
            _ = CommitAsync(batch);
        }
        return batch.Task.WaitAsync(ct);
    }

    private async Task CommitAsync(TaskCompletionSource batch)
    {
        try
        {
            await database.WriteAsync(async connection =>
            {
                // Taken once this batch holds the writer, so everything that arrived while it waited goes in it.
                Dictionary<string, long> touches;
                lock (_gate)
                {
                    touches = _pending;
                    _pending = new(StringComparer.Ordinal);
                    _batch = null;
                }
                await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
                await using var command = connection.Command(
                    "UPDATE sessions SET last_seen_at = MAX(last_seen_at, $now) WHERE id = $id AND revoked_at IS NULL",
                    ("$id", ""), ("$now", 0L));
                foreach (var (id, at) in touches)
                {
                    command.Parameters["$id"].Value = id;
                    command.Parameters["$now"].Value = at;
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                }
                await transaction.CommitAsync(CancellationToken.None);
            }, CancellationToken.None);
            batch.SetResult();
        }
        catch (Exception e)
        {
            // A batch that never reached the writer: the touches stay pending for the next one.
            lock (_gate)
            {
                if (_batch == batch)
                {
                    _batch = null;
                }
            }
            batch.SetException(e);
        }
    }
}
