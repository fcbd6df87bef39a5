using Microsoft.Extensions.Options;

namespace PasswordlessBff.Admin;

// Bearer keys for the team's servers; with none, the admin API does not exist.
public sealed class AdminOptions
{
    public const string SectionName = "Admin";
    public const int MinKeyLength = 32;

    public string[] ApiKeys { get; set; } = [];

    public bool Enabled => ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k));
}

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.ApiKeys.Length; i++)
        {
            var key = options.ApiKeys[i];
            if (key is null || key.Length < AdminOptions.MinKeyLength || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                failures.Add($"Admin__ApiKeys__{i} must be at least {AdminOptions.MinKeyLength} characters without spaces; "
                    + "generate one with: openssl rand -base64 32.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
