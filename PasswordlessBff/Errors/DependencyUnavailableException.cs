namespace PasswordlessBff.Errors;

// Thrown by stores and transports when their backing service cannot be reached; mapped to 503 upstream_unavailable.
public sealed class DependencyUnavailableException(string dependency, Exception? inner = null)
    : Exception($"{dependency} is unavailable", inner)
{
    public string Dependency { get; } = dependency;
}
