namespace PasswordlessBff.Storage;

public enum StorageProviderKind { Sqlite }

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public StorageProviderKind Provider { get; set; } = StorageProviderKind.Sqlite;
    public SqliteStorageOptions Sqlite { get; set; } = new();

    // Expired logins stay this long so a late click still hears "expired" rather than "unknown".
    public int RetainExpiredLoginsSeconds { get; set; } = 3600;
    public int SweepIntervalSeconds { get; set; } = 300;
}

public sealed class SqliteStorageOptions
{
    public string Path { get; set; } = "data/passwordless.db";
}
