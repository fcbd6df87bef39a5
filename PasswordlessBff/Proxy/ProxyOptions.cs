using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Proxy;

// The Proxy section: how the identity forwarded to backends is signed. Routes and clusters live in YARP's own
// ReverseProxy section.
public sealed class ProxyOptions
{
    public const string SectionName = "Proxy";

    // Backends accept a token this long at most; the ring keeps a retired key this long plus their clock skew.
    public const int MaxTokenLifetimeSeconds = 300;

    public int TokenLifetimeSeconds { get; set; } = MaxTokenLifetimeSeconds;

    // A route's own MaxRequestBodySize wins; -1 is no limit.
    public long DefaultMaxRequestBodySize { get; set; } = 30_000_000;

    // How many (session, audience) tokens are kept for reuse before the cache starts over.
    public int TokenCacheSize { get; set; } = 10_000;

    // PEM-encoded P-256 private keys: the first signs, the others are only published. Empty: keys are generated and
    // kept in the store.
    public string[] SigningKeys { get; set; } = [];

    // How long a generated key signs; the next one is published a full period before it takes over.
    public int KeyRotationHours { get; set; } = 30 * 24;

    public TimeSpan TokenLifetime => TimeSpan.FromSeconds(TokenLifetimeSeconds);

    public TimeSpan KeyRotationPeriod => TimeSpan.FromHours(KeyRotationHours);
}

internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var failures = new List<string>();
        if (options.TokenLifetimeSeconds is < 30 or > ProxyOptions.MaxTokenLifetimeSeconds)
        {
            failures.Add("Proxy__TokenLifetimeSeconds must be between 30 and 300.");
        }
        if (options.DefaultMaxRequestBodySize is < -1 or 0)
        {
            failures.Add("Proxy__DefaultMaxRequestBodySize must be a positive number of bytes, or -1 for no limit.");
        }
        if (options.TokenCacheSize is < 1 or > 1_000_000)
        {
            failures.Add("Proxy__TokenCacheSize must be between 1 and 1000000.");
        }
        // Backends refresh their JWKS every 12 hours by default (ASP.NET Core): a shorter period could sign before they know the key.
        if (options.KeyRotationHours is < 24 or > 24 * 365)
        {
            failures.Add("Proxy__KeyRotationHours must be between 24 and 8760.");
        }
        for (var i = 0; i < options.SigningKeys.Length; i++)
        {
            if (!IsP256PrivateKey(options.SigningKeys[i]))
            {
                failures.Add($"Proxy__SigningKeys__{i} is not a PEM P-256 private key; generate one with: "
                    + "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsP256PrivateKey(string pem)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            return key.KeySize == 256 && key.ExportParameters(includePrivateParameters: true).D is { Length: > 0 };
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}
