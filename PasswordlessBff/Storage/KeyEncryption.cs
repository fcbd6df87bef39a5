using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Storage;

// Data Protection keys encrypted at rest with a configured certificate, so a copy of the store (a backup, a Redis
// dump) does not hold them in clear. Without one they are stored unencrypted and the framework logs a warning.
public static class KeyEncryption
{
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder builder,
        IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(KeyEncryptionOptions.SectionName);
        builder.Services.AddOptions<KeyEncryptionOptions>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KeyEncryptionOptions>, KeyEncryptionOptionsValidator>();

        // The framework takes the certificates now, not from options; if one cannot be opened, nothing is registered
        // and the validator stops start-up naming the setting before any key is read or written.
        var options = section.Get<KeyEncryptionOptions>() ?? new();
        if (!options.Enabled)
        {
            return builder;
        }
        var opened = options.Certificates()
            .Select(c => KeyEncryptionCertificate.Open(c.Path, c.Password, environment, c.PathSetting, c.PasswordSetting).Certificate)
            .ToList();
        if (opened.Contains(null))
        {
            opened.ForEach(certificate => certificate?.Dispose());
            return builder;
        }
        builder.ProtectKeysWithCertificate(opened[0]!);
        // Certificates rotated out still decrypt the keys they encrypted.
        return opened.Count > 1 ? builder.UnprotectKeysWithAnyCertificate([.. opened.Skip(1).Select(c => c!)]) : builder;
    }
}

internal sealed record KeyEncryptionCertificate(X509Certificate2? Certificate, string? Failure)
{
    private const string Help = "see docs/OPERATIONS.md, Key rotation, Data Protection keys";

    // Opens one PFX file; a failure says which setting to fix and how.
    public static KeyEncryptionCertificate Open(string path, string? password, IHostEnvironment environment, string pathSetting, string passwordSetting)
    {
        var file = Path.GetFullPath(path, environment.ContentRootPath);
        if (!File.Exists(file))
        {
            return Failed($"{pathSetting} '{file}' does not exist; mount the PFX (PKCS#12) file there ({Help}).");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(file, password);
        }
        catch (CryptographicException)
        {
            return Failed($"{pathSetting} '{file}' cannot be opened: {passwordSetting} is wrong, or the file is not a PFX (PKCS#12) file ({Help}).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed($"{pathSetting} '{file}' cannot be read by the service's user; check the file's permissions.");
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            return Failed($"{pathSetting} '{file}' holds a certificate without its private key; export it with the key (openssl pkcs12 -export -inkey …).");
        }
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null)
        {
            certificate.Dispose();
            return Failed($"{pathSetting} '{file}' holds a non-RSA certificate; Data Protection encrypts keys with RSA certificates only.");
        }
        return new(certificate, null);
    }

    private static KeyEncryptionCertificate Failed(string failure) => new(null, failure);
}
