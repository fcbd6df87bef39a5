using Microsoft.Extensions.Options;

namespace PasswordlessBff.Passwordless;

public enum PasswordlessProviderKind { BuiltIn, Scalekit }

public enum PasswordlessType { LinkOtp, Link, Otp }

public sealed class PasswordlessOptions
{
    public const string SectionName = "Passwordless";

    public PasswordlessProviderKind Provider { get; set; } = PasswordlessProviderKind.BuiltIn;
    public PasswordlessType Type { get; set; } = PasswordlessType.LinkOtp;
    public int ExpiresIn { get; set; } = 300;
    public bool EnforceSameBrowser { get; set; } = true;
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
    // The magic link's origin when it is a mobile app's associated domain rather than this service's (docs/MOBILE.md).
    public string? LinkBaseUrl { get; set; }
    public string LoginPath { get; set; } = "/";
    public string[] AllowedOrigins { get; set; } = [];
    public int ResendAfter { get; set; } = 30;
    public string AppName { get; set; } = "PasswordlessBff";

    // SECURITY.md item 6: five wrong codes kill a login.
    public const int MaxFailedAttempts = 5;

    public Uri PublicBaseUri => new(PublicBaseUrl.TrimEnd('/') + "/");

    public Uri LinkBaseUri => string.IsNullOrEmpty(LinkBaseUrl) ? PublicBaseUri : new(LinkBaseUrl.TrimEnd('/') + "/");

    public string PublicOrigin => PublicBaseUri.GetLeftPart(UriPartial.Authority);

    public IEnumerable<string> AllowedOriginSet => AllowedOrigins
        .Select(origin => origin.TrimEnd('/'))
        .Append(PublicOrigin)
        .Distinct(StringComparer.OrdinalIgnoreCase);
}

internal sealed class PasswordlessOptionsValidator(IHostEnvironment environment) : IValidateOptions<PasswordlessOptions>
{
    public ValidateOptionsResult Validate(string? name, PasswordlessOptions options)
    {
        var failures = new List<string>();
        if (options.ExpiresIn is < 60 or > 3600)
        {
            failures.Add($"Passwordless__ExpiresIn is {options.ExpiresIn}; set it between 60 and 3600 seconds.");
        }
        ValidateBaseUrl("PublicBaseUrl", options.PublicBaseUrl, failures);
        if (!string.IsNullOrEmpty(options.LinkBaseUrl))
        {
            ValidateBaseUrl("LinkBaseUrl", options.LinkBaseUrl, failures);
        }
        if (!options.LoginPath.StartsWith('/') || options.LoginPath.StartsWith("//", StringComparison.Ordinal))
        {
            failures.Add($"Passwordless__LoginPath '{options.LoginPath}' must be a path on this site starting with a single '/'.");
        }
        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                failures.Add($"Passwordless__AllowedOrigins entry '{origin}' must be an origin such as https://app.example.com.");
            }
        }
        if (options.ResendAfter is < 0 or > 600)
        {
            failures.Add("Passwordless__ResendAfter must be between 0 and 600 seconds.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateBaseUrl(string setting, string url, List<string> failures)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(baseUri.Query))
        {
            failures.Add($"Passwordless__{setting} '{url}' is not an absolute http(s) URL without a query.");
        }
        else if (baseUri.Scheme == "http" && !baseUri.IsLoopback && !environment.IsDevelopment())
        {
            failures.Add($"Passwordless__{setting} must use https outside Development (plain http is allowed only on a loopback host).");
        }
    }
}
