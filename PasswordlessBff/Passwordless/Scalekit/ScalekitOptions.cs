using Microsoft.Extensions.Options;

namespace PasswordlessBff.Passwordless.Scalekit;

public sealed class ScalekitOptions
{
    public const string SectionName = "Scalekit";

    public string? EnvironmentUrl { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    // One attempt at the passwordless API; never retried, so this is also the longest a sign-in step waits.
    public int TimeoutSeconds { get; set; } = 10;
    public int TokenTimeoutSeconds { get; set; } = 10;

    // Circuit breaker: after this many failed calls (and at least half of those sampled) stop calling for BreakSeconds.
    public int BreakAfterFailures { get; set; } = 10;
    public int BreakSeconds { get; set; } = 30;

    public Uri EnvironmentUri => new(EnvironmentUrl!.TrimEnd('/') + "/");
}

// Scalekit's own docs name the credentials SCALEKIT_*; those fill whatever the Scalekit section leaves empty.
internal sealed class ScalekitEnvironmentVariables(IConfiguration configuration) : IPostConfigureOptions<ScalekitOptions>
{
    public const string EnvironmentUrl = "SCALEKIT_ENVIRONMENT_URL";
    public const string ClientId = "SCALEKIT_CLIENT_ID";
    public const string ClientSecret = "SCALEKIT_CLIENT_SECRET";

    public void PostConfigure(string? name, ScalekitOptions options)
    {
        options.EnvironmentUrl = FirstSet(options.EnvironmentUrl, configuration[EnvironmentUrl]);
        options.ClientId = FirstSet(options.ClientId, configuration[ClientId]);
        options.ClientSecret = FirstSet(options.ClientSecret, configuration[ClientSecret]);
    }

    private static string? FirstSet(string? section, string? variable) =>
        string.IsNullOrWhiteSpace(section) ? variable?.Trim() : section.Trim();
}

internal sealed class ScalekitOptionsValidator : IValidateOptions<ScalekitOptions>
{
    public ValidateOptionsResult Validate(string? name, ScalekitOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.EnvironmentUrl))
        {
            failures.Add($"{ScalekitEnvironmentVariables.EnvironmentUrl} is missing; set it (or Scalekit__EnvironmentUrl) to your Scalekit environment URL, e.g. https://yourapp.scalekit.com.");
        }
        else if (!Uri.TryCreate(options.EnvironmentUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            failures.Add($"{ScalekitEnvironmentVariables.EnvironmentUrl} '{options.EnvironmentUrl}' is not an absolute https URL such as https://yourapp.scalekit.com.");
        }
        else if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            // The client secret and every access token travel on this connection.
            failures.Add($"{ScalekitEnvironmentVariables.EnvironmentUrl} must use https (plain http is allowed only on a loopback host).");
        }
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{ScalekitEnvironmentVariables.ClientId} is missing; copy the client id from the Scalekit dashboard (API credentials) into it or Scalekit__ClientId.");
        }
        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add($"{ScalekitEnvironmentVariables.ClientSecret} is missing; copy the client secret from the Scalekit dashboard (API credentials) into it or Scalekit__ClientSecret.");
        }
        if (options.TimeoutSeconds is < 1 or > 60 || options.TokenTimeoutSeconds is < 1 or > 60)
        {
            failures.Add("Scalekit__TimeoutSeconds and Scalekit__TokenTimeoutSeconds must be between 1 and 60.");
        }
        if (options.BreakAfterFailures < 2 || options.BreakSeconds is < 1 or > 3600)
        {
            failures.Add("Scalekit__BreakAfterFailures must be at least 2 and Scalekit__BreakSeconds between 1 and 3600.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
