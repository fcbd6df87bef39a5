using Microsoft.Extensions.Options;

namespace PasswordlessBff.Storage;

// Not DataProtectionOptions: that name is the framework's. This section only says how keys are encrypted at rest.
public sealed class KeyEncryptionOptions
{
    public const string SectionName = "DataProtection";

    // A PFX (PKCS#12) file with an RSA certificate and its private key; new Data Protection keys are encrypted with it.
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }

    // Certificates rotated out: they still decrypt the keys they encrypted. Each opens with the password of the same
    // index, or with CertificatePassword when that index has none.
    public string[] PreviousCertificatePaths { get; set; } = [];
    public string[] PreviousCertificatePasswords { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    public IEnumerable<(string Path, string? Password, string PathSetting, string PasswordSetting)> Certificates()
    {
        if (Enabled)
        {
            yield return (CertificatePath!, CertificatePassword, "DataProtection__CertificatePath", "DataProtection__CertificatePassword");
        }
        for (var i = 0; i < PreviousCertificatePaths.Length; i++)
        {
            var own = i < PreviousCertificatePasswords.Length;
            yield return (PreviousCertificatePaths[i], own ? PreviousCertificatePasswords[i] : CertificatePassword,
                $"DataProtection__PreviousCertificatePaths__{i}",
                own ? $"DataProtection__PreviousCertificatePasswords__{i}" : "DataProtection__CertificatePassword");
        }
    }
}

internal sealed class KeyEncryptionOptionsValidator(IHostEnvironment environment) : IValidateOptions<KeyEncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyEncryptionOptions options)
    {
        if (!options.Enabled && options.PreviousCertificatePaths.Length > 0)
        {
            return ValidateOptionsResult.Fail(
                "DataProtection__PreviousCertificatePaths is set without DataProtection__CertificatePath; set the current certificate too.");
        }
        var failures = new List<string>();
        foreach (var (path, password, pathSetting, passwordSetting) in options.Certificates())
        {
            var opened = KeyEncryptionCertificate.Open(path, password, environment, pathSetting, passwordSetting);
            opened.Certificate?.Dispose();
            if (opened.Failure is { } failure)
            {
                failures.Add(failure);
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
