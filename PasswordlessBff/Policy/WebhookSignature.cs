using System.Security.Cryptography;
using System.Text;

namespace PasswordlessBff.Policy;

// The Standard Webhooks signature: HMAC-SHA256 over "{id}.{timestamp}.{body}" with the secret's bytes (the base64
// after "whsec_"), sent as "webhook-signature: v1,<base64>" beside webhook-id and webhook-timestamp.
public sealed class WebhookSignature(byte[] key)
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    private const string SecretPrefix = "whsec_";

    public string Sign(string messageId, DateTimeOffset timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToUnixTimeSeconds()}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    // The spec's secrets are 24 to 64 random bytes.
    public static bool TryDecodeSecret(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var encoded = secret[SecretPrefix.Length..].Trim();
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written) || written is < 24 or > 64)
        {
            return false;
        }
        key = buffer[..written];
        return true;
    }
}
