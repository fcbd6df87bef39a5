using Microsoft.Extensions.Options;

namespace PasswordlessBff.Storage.Sqlite;

// One instance owns the file (docs/SCALING.md), so every write passes through this process and its cache stays exact;
// a change made to the file by anything else (another process on the same file, an operator's UPDATE or DELETE) is
// logged by a trigger and honoured within Storage__Sqlite__RevocationCheckSeconds (0.25 s, SqliteSessionChanges), and a
// copy is read again after Storage__Sqlite__SessionCacheSeconds (60 s) of real time whatever the log says. Copies answer
// only while the file has answered within the last second and its last access did not fail, so in an outage session
// checks go to the file and fail closed (503) like every other request.
public sealed class SqliteCacheRule(SqliteDatabase database, IOptions<StorageOptions> storage) : ISessionCacheRule
{
    private static readonly TimeSpan StoreConfirmation = TimeSpan.FromSeconds(1);

    public TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(storage.Value.Sqlite.SessionCacheSeconds);

    // Real time: the bound on another writer's change must hold even while a test holds the app's clock still.
    public TimeProvider Clock => TimeProvider.System;

    public TimeSpan LastSeenWriteInterval { get; } = TimeSpan.FromSeconds(storage.Value.Sqlite.LastSeenWriteIntervalSeconds);

    public bool Trusted => database.ConfirmedWithin(StoreConfirmation);
}
