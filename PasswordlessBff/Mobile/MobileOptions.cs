using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PasswordlessBff.Mobile;

// The apps allowed to open magic links: Apple's app ids and Android's packages with their signing certificates.
public sealed class MobileOptions
{
    public const string SectionName = "Mobile";

    public AppleApps Apple { get; set; } = new();
    public AndroidApps Android { get; set; } = new();

    public sealed class AppleApps
    {
        // "<TeamID>.<bundle id>", e.g. ABCDE12345.com.example.app.
        public string[] AppIds { get; set; } = [];
    }

    public sealed class AndroidApps
    {
        public string[] Packages { get; set; } = [];

        // SHA-256 fingerprints of the signing certificates; every listed package may be signed by any of them.
        public string[] Fingerprints { get; set; } = [];
    }
}

internal sealed partial class MobileOptionsValidator : IValidateOptions<MobileOptions>
{
    public ValidateOptionsResult Validate(string? name, MobileOptions options)
    {
        var failures = new List<string>();
        failures.AddRange(options.Apple.AppIds.Where(id => !AppleAppId().IsMatch(id))
            .Select(id => $"Mobile__Apple__AppIds entry '{id}' must be '<10-character Team ID>.<bundle id>', e.g. ABCDE12345.com.example.app."));
        failures.AddRange(options.Android.Packages.Where(package => !AndroidPackage().IsMatch(package))
            .Select(package => $"Mobile__Android__Packages entry '{package}' must be an Android application id such as com.example.app."));
        failures.AddRange(options.Android.Fingerprints.Where(print => !Fingerprint().IsMatch(print))
            .Select(print => $"Mobile__Android__Fingerprints entry '{print}' must be a SHA-256 fingerprint: 32 hex bytes separated by ':'."));
        if ((options.Android.Packages.Length == 0) != (options.Android.Fingerprints.Length == 0))
        {
            failures.Add("Mobile__Android__Packages and Mobile__Android__Fingerprints go together: set both, or neither.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Z0-9]{10}\\.[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$")]
    private static partial Regex AppleAppId();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+$")]
    private static partial Regex AndroidPackage();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$")]
    private static partial Regex Fingerprint();
}
