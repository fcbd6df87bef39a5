using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace PasswordlessBff.Sessions;

// The session signing key (configured, or generated once in Development) and keys derived from it.
public sealed partial class SigningKeyRing
{
    private readonly byte[] _master;

    public SigningKeyRing(IOptions<SessionOptions> options, IHostEnvironment environment, IDevSigningKeyStore devKeys, ILogger<SigningKeyRing> logger)
    {
        var configured = options.Value.SigningKey;
        if (!string.IsNullOrWhiteSpace(configured) && TryDecode(configured, out var key))
        {
            _master = key;
        }
        else if (environment.IsDevelopment())
        {
            _master = devKeys.LoadOrCreate();
            LogDevKey(logger, devKeys.Location);
        }
        else
        {
            throw new InvalidOperationException("Session__SigningKey is missing.");
        }
        SigningKey = new SymmetricSecurityKey(_master) { KeyId = KeyIdOf(_master) };
    }

    public SymmetricSecurityKey SigningKey { get; }

    public IReadOnlyList<SecurityKey> ValidationKeys => [SigningKey];

    // Separate keys for separate purposes, so a hash key never doubles as a signing key.
    public byte[] DeriveKey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _master, 32, info: Encoding.UTF8.GetBytes(purpose));

    public static bool TryDecode(string value, out byte[] key)
    {
        key = new byte[value.Length];
        if (Convert.TryFromBase64String(value.Trim(), key, out var written))
        {
            key = key[..written];
            return true;
        }
        key = [];
        return false;
    }

    private static string KeyIdOf(byte[] key) =>
        Base64UrlEncoder.Encode(SHA256.HashData(key).AsSpan(0, 8).ToArray());

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Development: using a generated session signing key stored at {Location}; set Session__SigningKey in every other environment")]
    private static partial void LogDevKey(ILogger logger, string location);
}
