using Microsoft.Extensions.Options;

namespace PasswordlessBff.Sessions;

public sealed class SessionOptions
{
    public const string SectionName = "Session";

    public string? SigningKey { get; set; }

    // Rotation: the first entry (newest) signs; later entries, then SigningKey, only validate until removed.
    public string[] SigningKeys { get; set; } = [];

    public IReadOnlyList<string> ConfiguredKeys =>
        [.. SigningKeys.Append(SigningKey).OfType<string>().Where(k => !string.IsNullOrWhiteSpace(k)).Distinct(StringComparer.Ordinal)];

    // Keys the opaque user id of a session no policy hook named; without it the id is keyed by the newest signing key,
    // so it changes when that key rotates.
    public string? UserIdKey { get; set; }

    // Development only: where the generated key is kept so sessions survive restarts.
    public string DevKeyPath { get; set; } = "data/session-signing.key";

    public int AbsoluteLifetimeSeconds { get; set; } = 12 * 3600;
    public int IdleTimeoutSeconds { get; set; } = 3600;
    public string Audience { get; set; } = "passwordless-bff";
    public const string DefaultCookieName = "__Host-pwl-session";

    public string CookieName { get; set; } = DefaultCookieName;

    public TimeSpan AbsoluteLifetime => TimeSpan.FromSeconds(AbsoluteLifetimeSeconds);
    public TimeSpan IdleTimeout => TimeSpan.FromSeconds(IdleTimeoutSeconds);
}

internal sealed class SessionOptionsValidator(IHostEnvironment environment) : IValidateOptions<SessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        var failures = new List<string>();
        if (options.ConfiguredKeys.Count == 0)
        {
            if (!environment.IsDevelopment())
            {
                failures.Add("Session__SigningKey is missing; set it to a base64 key of at least 32 random bytes (openssl rand -base64 32).");
            }
        }
        if (!string.IsNullOrWhiteSpace(options.SigningKey) && !IsKey(options.SigningKey))
        {
            failures.Add("Session__SigningKey must be base64 of at least 32 random bytes (256 bits); generate one with: openssl rand -base64 32.");
        }
        for (var i = 0; i < options.SigningKeys.Length; i++)
        {
            if (!IsKey(options.SigningKeys[i]))
            {
                failures.Add($"Session__SigningKeys__{i} must be base64 of at least 32 random bytes (256 bits); generate one with: openssl rand -base64 32.");
            }
        }
        if (options.UserIdKey is not null && !IsKey(options.UserIdKey))
        {
            failures.Add("Session__UserIdKey must be base64 of at least 32 random bytes (256 bits); generate one with: openssl rand -base64 32.");
        }
        if (options.AbsoluteLifetimeSeconds is < 300 or > 30 * 24 * 3600)
        {
            failures.Add("Session__AbsoluteLifetimeSeconds must be between 300 and 2592000.");
        }
        if (options.IdleTimeoutSeconds < 60 || options.IdleTimeoutSeconds > options.AbsoluteLifetimeSeconds)
        {
            failures.Add("Session__IdleTimeoutSeconds must be at least 60 and no longer than Session__AbsoluteLifetimeSeconds.");
        }
        if (!options.CookieName.StartsWith("__Host-", StringComparison.Ordinal))
        {
            failures.Add("Session__CookieName must start with __Host- so the browser pins it to this host over HTTPS.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsKey(string? value) =>
        !string.IsNullOrWhiteSpace(value) && SigningKeyRing.TryDecode(value, out var key) && key.Length >= 32;
}
