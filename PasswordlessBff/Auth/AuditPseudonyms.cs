using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using PasswordlessBff.Http;
using PasswordlessBff.Limits;
using PasswordlessBff.Passwordless.BuiltIn;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Auth;

// Stable, keyed pseudonyms for audit events: the same account or client always maps to the same short string, and
// nobody without the signing key can go back from it (or test a guess against it).
public sealed class AuditPseudonyms(CredentialHasher hasher, SigningKeyRing keys)
{
    public const string Unknown = "unknown";

    private readonly byte[] _key = keys.DeriveKey("PasswordlessBff.Audit.v1");

    // A keyed hash of the canonical address, first 16 bytes: one account however the address was spelled.
    public string Account(string? canonicalEmail) =>
        string.IsNullOrEmpty(canonicalEmail) ? Unknown : Encode(hasher.HashAddress(canonicalEmail));

    // Per address for IPv4, per /64 for IPv6: the same client the per-client rate limit counts.
    public string Client(HttpContext context) => context.Connection.RemoteIpAddress is { } address
        ? Encode(Hash($"client\n{ClientKey.For(address)}"))
        : Unknown;

    // The same pseudonym from an address kept as text (the background sender no longer has the request).
    public string Client(string? address) => System.Net.IPAddress.TryParse(address, out var parsed)
        ? Encode(Hash($"client\n{ClientKey.For(parsed)}"))
        : Unknown;

    // A user id named by the policy hook, or an admin key: referred to by a hash, like logins and sessions.
    public string Opaque(string kind, string? value) => string.IsNullOrEmpty(value) ? Unknown : Encode(Hash($"{kind}\n{value}"));

    // Logins and sessions are referred to by a hash of their id, so the log links events without holding the id.
    public string Login(string? loginId) => string.IsNullOrEmpty(loginId) ? Unknown : Encode(Hash($"login\n{loginId}"));

    public string Session(string? sessionId) => string.IsNullOrEmpty(sessionId) ? Unknown : Encode(Hash($"session\n{sessionId}"));

    public static string Correlation(HttpContext context) =>
        Activity.Current is { } activity ? activity.TraceId.ToString() : context.TraceIdentifier;

    private byte[] Hash(string value) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value));

    private static string Encode(byte[] hash) => Base64Url.EncodeToString(hash.AsSpan(0, 16));
}
