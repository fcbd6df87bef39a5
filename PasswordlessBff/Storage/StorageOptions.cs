namespace PasswordlessBff.Storage;

public enum StorageProviderKind { Sqlite, Redis }

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public StorageProviderKind Provider { get; set; } = StorageProviderKind.Sqlite;
    public SqliteStorageOptions Sqlite { get; set; } = new();
    public RedisStorageOptions Redis { get; set; } = new();

    // Expired logins stay this long so a late click still hears "expired" rather than "unknown".
    public int RetainExpiredLoginsSeconds { get; set; } = 3600;
    public int SweepIntervalSeconds { get; set; } = 300;
}

public sealed class SqliteStorageOptions
{
    public string Path { get; set; } = "data/passwordless.db";

    // Seconds a session record read from the file is trusted before it is read again (SqliteCacheRule); 0 = off.
    // Every change the session_changes log names evicts a copy sooner; this bounds only what the log cannot see.
    public double SessionCacheSeconds { get; set; } = 60;

    // A cached copy answers only after the change log was read within this (SqliteSessionChanges): the bound on a
    // revocation made by another process on the file or by hand. Seconds, so the sub-second default is a fraction.
    public double RevocationCheckSeconds { get; set; } = 0.25;

    // Sliding the idle timeout writes last-seen to the file at most this often per session (memory keeps it exact).
    public double LastSeenWriteIntervalSeconds { get; set; } = 60;
}

public sealed class RedisStorageOptions
{
    // A StackExchange.Redis configuration string, e.g. "redis:6379,password=…,ssl=true".
    public string? Configuration { get; set; }

    // Every key and channel starts with this, so several deployments (or test hosts) can share one Redis.
    public string KeyPrefix { get; set; } = "pwl:";

    // How long an instance trusts a session record it read, unless a revocation message evicts it sooner: the bound on
    // a revocation whose message was lost without a connection event.
    public double SessionCacheSeconds { get; set; } = 5;

    // Sliding the idle timeout writes last-seen at most this often per session and instance.
    public double LastSeenWriteIntervalSeconds { get; set; } = 60;
}
