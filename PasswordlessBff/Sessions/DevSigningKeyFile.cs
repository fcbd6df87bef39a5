using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Sessions;

// Where Development keeps the signing key it generates: a file for one instance, Redis for several.
public interface IDevSigningKeyStore
{
    string Location { get; }

    byte[] LoadOrCreate();
}

public sealed class DevSigningKeyFile(IOptions<SessionOptions> options, IHostEnvironment environment) : IDevSigningKeyStore
{
    public string Location { get; } = Path.GetFullPath(options.Value.DevKeyPath, environment.ContentRootPath);

    public byte[] LoadOrCreate()
    {
        if (File.Exists(Location) && SigningKeyRing.TryDecode(File.ReadAllText(Location), out var existing) && existing.Length >= 32)
        {
            return existing;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Location)!);
        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(Location, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Location, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return key;
    }
}
