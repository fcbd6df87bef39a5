namespace PasswordlessBff.Telemetry;

public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    // Serve a Prometheus scrape endpoint at /metrics (keep it off the public internet).
    public bool Prometheus { get; set; }
}
