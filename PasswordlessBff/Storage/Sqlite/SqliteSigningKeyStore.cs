namespace PasswordlessBff.Storage.Sqlite;

// The signing keys in their own table of the same database file, created on first use.
public sealed class SqliteSigningKeyStore(SqliteDatabase database) : ISigningKeyStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS proxy_signing_keys (
            generation INTEGER PRIMARY KEY,
            key_id TEXT NOT NULL,
            private_key TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            activates_at INTEGER NOT NULL);
        """;

    private volatile bool _created;

    public async Task<IReadOnlyList<StoredSigningKey>> ListAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        return await database.RunAsync(async connection =>
        {
            await using var command = connection.Command(
                "SELECT generation, key_id, private_key, created_at, activates_at FROM proxy_signing_keys ORDER BY generation");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var keys = new List<StoredSigningKey>();
            while (await reader.ReadAsync(ct))
            {
                keys.Add(new StoredSigningKey(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.ToTime(3), reader.ToTime(4)));
            }
            return (IReadOnlyList<StoredSigningKey>)keys;
        }, ct);
    }

    public async Task AddIfAbsentAsync(StoredSigningKey key, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        await database.WriteAsync(connection => connection.ExecuteAsync(
            "INSERT OR IGNORE INTO proxy_signing_keys (generation, key_id, private_key, created_at, activates_at) VALUES ($g, $kid, $key, $created, $activates)",
            ct, ("$g", key.Generation), ("$kid", key.KeyId), ("$key", key.ProtectedPrivateKey),
            ("$created", key.CreatedAt.ToUnixTimeMilliseconds()), ("$activates", key.ActivatesAt.ToUnixTimeMilliseconds())), ct, durable: true);
    }

    public async Task RemoveAsync(int generation, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        await database.WriteAsync(connection =>
            connection.ExecuteAsync("DELETE FROM proxy_signing_keys WHERE generation = $g", ct, ("$g", generation)), ct);
    }

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        if (!_created)
        {
            await database.WriteAsync(connection => connection.ExecuteAsync(Schema, ct), ct);
            _created = true;
        }
    }
}
