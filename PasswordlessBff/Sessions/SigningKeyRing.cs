using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace PasswordlessBff.Sessions;

// The session signing keys (configured, or one generated once in Development) and keys derived from the newest.
// The newest key signs; every configured key validates, each under its own kid, so a rotation logs nobody out and a
// key removed from configuration stops validating at once (SECURITY.md item 21).
public sealed partial class SigningKeyRing
{
    private readonly byte[] _master;

    public SigningKeyRing(IOptions<SessionOptions> options, IHostEnvironment environment, IDevSigningKeyStore devKeys, ILogger<SigningKeyRing> logger)
    {
        var configured = options.Value.ConfiguredKeys
            .Select(value => TryDecode(value, out var key) ? key : null).OfType<byte[]>().ToList();
        if (configured.Count > 0)
        {
            _master = configured[0];
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
        ValidationKeys = [SigningKey, .. configured.Skip(1).Select(key => new SymmetricSecurityKey(key) { KeyId = KeyIdOf(key) })];
    }

    public SymmetricSecurityKey SigningKey { get; }

    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    // Separate keys for separate purposes, so a hash key never doubles as a signing key. Derived from the newest key:
    // codes of a login pending at a rotation stop matching, and a resend mails new ones.
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

    public static string KeyIdOf(byte[] key) =>
        Base64UrlEncoder.Encode(SHA256.HashData(key).AsSpan(0, 8).ToArray());

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Development: using a generated session signing key stored at {Location}; set Session__SigningKey in every other environment")]
    private static partial void LogDevKey(ILogger logger, string location);
}
