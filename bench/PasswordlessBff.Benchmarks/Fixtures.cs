using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Benchmarks;

// The service's own classes, built as the container builds them, with a fixed 256-bit key.
internal static class Fixtures
{
    public static SigningKeyRing Keys() => new(
        Options.Create(new SessionOptions { SigningKey = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray()) }),
        new ProductionEnvironment(), new NoDevKeys(), NullLogger<SigningKeyRing>.Instance);

    public static SessionTokens Tokens(SigningKeyRing keys) => new(keys, Options.Create(new SessionOptions()),
        Options.Create(new PasswordlessOptions { PublicBaseUrl = "https://login.example.com" }), TimeProvider.System);

    private sealed class NoDevKeys : IDevSigningKeyStore
    {
        public string Location => "";

        public byte[] LoadOrCreate() => throw new InvalidOperationException("a key is configured");
    }

    private sealed class ProductionEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "PasswordlessBff";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
