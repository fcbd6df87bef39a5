using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace PasswordlessBff.Proxy;

// One P-256 key of the ring: its kid is the RFC 7638 thumbprint, so every instance names a key alike.
public sealed class ProxySigningKey
{
    public ProxySigningKey(ECDsa key)
    {
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        X = Base64UrlEncoder.Encode(point.X);
        Y = Base64UrlEncoder.Encode(point.Y);
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{X}}","y":"{{Y}}"}""")));
        Credentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = KeyId }, SecurityAlgorithms.EcdsaSha256);
    }

    public string KeyId { get; }

    public string X { get; }

    public string Y { get; }

    public SigningCredentials Credentials { get; }

    public static string KeyIdOf(ECDsa key) => new ProxySigningKey(key).KeyId;

    public PublicJsonWebKey ToPublicJwk() => new("EC", "sig", "ES256", "P-256", KeyId, X, Y);
}

// A public key as /.well-known/jwks.json lists it.
public sealed record PublicJsonWebKey(string Kty, string Use, string Alg, string Crv, string Kid, string X, string Y);

// What signs now and what is published; Until is when it must be looked at again (a key takes over or leaves).
public sealed record ProxyKeyRing(ProxySigningKey Signing, IReadOnlyList<ProxySigningKey> Published, DateTimeOffset Until);
