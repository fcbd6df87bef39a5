namespace PasswordlessBff.Storage;

// Start-up, health and housekeeping of whichever store is configured.
public interface IStoreMaintenance
{
    Task InitializeAsync(CancellationToken ct);

    Task PingAsync(CancellationToken ct);

    Task<int> SweepExpiredAsync(DateTimeOffset now, CancellationToken ct);
}
