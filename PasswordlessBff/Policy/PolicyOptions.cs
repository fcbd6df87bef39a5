using Microsoft.Extensions.Options;
using PasswordlessBff.Auth;

namespace PasswordlessBff.Policy;

// Who may sign in (static lists) and the team's hook that may refuse an address or name its user.
public sealed class PolicyOptions
{
    public const string SectionName = "Policy";

    // "example.com" (that domain only) or "*.example.com" (its subdomains only).
    public string[] AllowedDomains { get; set; } = [];
    public string[] AllowedAddresses { get; set; } = [];
    public string[] BlockedDomains { get; set; } = [];

    public HookOptions Hook { get; set; } = new();

    public sealed class HookOptions
    {
        public string? Url { get; set; }
        public string? Secret { get; set; }
        public int TimeoutMilliseconds { get; set; } = 2000;

        public bool Configured => !string.IsNullOrWhiteSpace(Url);
    }
}

internal sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var failures = new List<string>();
        CheckDomains(options.AllowedDomains, "AllowedDomains", failures);
        CheckDomains(options.BlockedDomains, "BlockedDomains", failures);
        for (var i = 0; i < options.AllowedAddresses.Length; i++)
        {
            if (!EmailAddress.TryCanonicalize(options.AllowedAddresses[i], out _))
            {
                failures.Add($"Policy__AllowedAddresses__{i} '{options.AllowedAddresses[i]}' is not a valid email address such as ada@example.com.");
            }
        }
        var hook = options.Hook;
        if (hook.Configured)
        {
            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Fragment))
            {
                failures.Add($"Policy__Hook__Url '{hook.Url}' is not an absolute http(s) URL such as https://api.example.com/hooks/signin.");
            }
            else if (url.Scheme == "http" && !url.IsLoopback)
            {
                // Addresses, and the user ids and roles the hook answers, travel on this connection.
                failures.Add("Policy__Hook__Url must use https (plain http is allowed only on a loopback host).");
            }
            if (!WebhookSignature.TryDecodeSecret(hook.Secret, out _))
            {
                failures.Add("Policy__Hook__Secret must be a Standard Webhooks secret: 'whsec_' followed by base64 of 24 to 64 random bytes "
                    + "(generate one with: echo whsec_$(openssl rand -base64 32)).");
            }
        }
        else if (!string.IsNullOrWhiteSpace(hook.Secret))
        {
            failures.Add("Policy__Hook__Secret is set but Policy__Hook__Url is not; set both, or neither.");
        }
        if (hook.TimeoutMilliseconds is < 100 or > 10_000)
        {
            failures.Add("Policy__Hook__TimeoutMilliseconds must be between 100 and 10000.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckDomains(string[] patterns, string setting, List<string> failures)
    {
        for (var i = 0; i < patterns.Length; i++)
        {
            if (DomainPattern.TryParse(patterns[i]) is null)
            {
                failures.Add($"Policy__{setting}__{i} '{patterns[i]}' is not a domain such as example.com or a pattern such as *.example.com.");
            }
        }
    }
}
