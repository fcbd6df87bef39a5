namespace PasswordlessBff.Email;

// Everything a sign-in email says; Code or Link is null when the configured type leaves it out.
public sealed record LoginEmail(
    string To,
    string Template,
    string? Code,
    Uri? Link,
    DateTimeOffset ExpiresAt,
    TimeSpan ExpiresIn,
    string Locale = EmailTemplates.DefaultLocale,
    IReadOnlyDictionary<string, string>? TemplateVariables = null)
{
    // Not in the email: the login's state, for the sign-in policy hook that decides whether it goes out.
    public string? State { get; init; }
}
