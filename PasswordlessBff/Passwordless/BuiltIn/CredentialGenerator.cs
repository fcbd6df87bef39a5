using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace PasswordlessBff.Passwordless.BuiltIn;

// All randomness from the OS CSPRNG (SECURITY.md item 1); the three values are drawn independently.
public static class CredentialGenerator
{
    public static string NewLoginId() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    // 256 bits, well above the 128-bit floor.
    public static string NewLinkToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}
