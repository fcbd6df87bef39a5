using Microsoft.Extensions.Options;

namespace PasswordlessBff.Limits;

// Every limit that guards an email or a guess, in one section.
public sealed class LimitOptions
{
    public const string SectionName = "RateLimits";

    // Per client (an IPv4 address or an IPv6 /64), on send and resend, and on both verifies.
    public int SendPerMinute { get; set; } = 30;
    public int VerifyPerMinute { get; set; } = 60;

    // The asking page's poll for a cross-device approval (once a second while it waits).
    public int PollPerMinute { get; set; } = 120;

    // Per mailbox, sends and resends together.
    public int EmailsPerAddressPerMinute { get; set; } = 2;
}

internal sealed class LimitOptionsValidator(IConfiguration configuration) : IValidateOptions<LimitOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitOptions options)
    {
        var failures = new List<string>();
        if (options.SendPerMinute is < 1 or > 100_000_000)
        {
            failures.Add($"RateLimits__SendPerMinute is {options.SendPerMinute}; set it between 1 and 100000000.");
        }
        if (options.VerifyPerMinute is < 1 or > 100_000_000)
        {
            failures.Add($"RateLimits__VerifyPerMinute is {options.VerifyPerMinute}; set it between 1 and 100000000.");
        }
        if (options.PollPerMinute is < 1 or > 100_000_000)
        {
            failures.Add($"RateLimits__PollPerMinute is {options.PollPerMinute}; set it between 1 and 100000000.");
        }
        if (options.EmailsPerAddressPerMinute is < 1 or > 100)
        {
            failures.Add($"RateLimits__EmailsPerAddressPerMinute is {options.EmailsPerAddressPerMinute}; set it between 1 and 100.");
        }
        // A setting that moved is refused by its old name rather than silently ignored.
        if (configuration["Passwordless:EmailsPerAddressPerMinute"] is not null)
        {
            failures.Add("Passwordless__EmailsPerAddressPerMinute has moved: set RateLimits__EmailsPerAddressPerMinute instead.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
