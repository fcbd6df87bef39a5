using Microsoft.Extensions.Options;

namespace PasswordlessBff.Testing;

// Integration-test mode: reserved addresses that sign in with a known code and link and are never emailed.
public sealed class TestingOptions
{
    public const string SectionName = "Testing";
    public const string DefaultCode = "424242";
    public const string DefaultLinkToken = "test-link-token";
    public const int MinimumProductionCodeLength = 8;

    public bool Enabled { get; set; }

    // Exact addresses or patterns with * (`*@test.invalid`: the reserved top-level domain). None given: the default.
    public string[] AddressPatterns { get; set; } = [];

    public string? Code { get; set; }

    public string? LinkToken { get; set; }

    // Environments where the defaults apply, besides Development. None given: Testing.
    public string[] Environments { get; set; } = [];

    // Outside those environments (an app-store review account, say): exact addresses and an operator's code only.
    public bool AllowInProduction { get; set; }

    public IReadOnlyList<string> EffectivePatterns => AddressPatterns.Length > 0 ? AddressPatterns : ["*@test.invalid"];

    public IReadOnlyList<string> EffectiveEnvironments => Environments.Length > 0 ? Environments : ["Testing"];

    public bool IsTestEnvironment(IHostEnvironment environment) =>
        environment.IsDevelopment() || EffectiveEnvironments.Contains(environment.EnvironmentName, StringComparer.OrdinalIgnoreCase);
}

internal sealed class TestingOptionsValidator(IHostEnvironment environment) : IValidateOptions<TestingOptions>
{
    public ValidateOptionsResult Validate(string? name, TestingOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        if (options.Code is { } code && (code.Length is < 6 or > 12 || !code.All(char.IsAsciiDigit)))
        {
            failures.Add("Testing__Code must be 6 to 12 digits.");
        }
        if (options.LinkToken is { } token && !Auth.LinkTokenFormat.IsPlausible(token))
        {
            failures.Add("Testing__LinkToken may hold only letters, digits, '-', '_', '.' and '~' (at most 512).");
        }
        if (options.IsTestEnvironment(environment))
        {
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
        // Never by accident in production: every setting that makes it safe is the operator's, named here.
        var where = $"Testing__Enabled=true in the {environment.EnvironmentName} environment";
        if (!options.AllowInProduction)
        {
            failures.Add($"{where} needs Testing__AllowInProduction=true (or add the environment to Testing__Environments__N).");
        }
        if (options.AddressPatterns.Length == 0 || options.AddressPatterns.Any(p => p.Contains('*', StringComparison.Ordinal)))
        {
            failures.Add($"{where} needs the test addresses listed exactly in Testing__AddressPatterns__N (no wildcards).");
        }
        if (options.Code is null || options.Code.Length < TestingOptions.MinimumProductionCodeLength)
        {
            failures.Add($"{where} needs Testing__Code set to at least {TestingOptions.MinimumProductionCodeLength} digits of the operator's choosing.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
