using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace PasswordlessBff.Email;

// What the sender needs to compose and audit one email, as the store keeps it: JSON encrypted and authenticated by
// Data Protection (keys in the same store, encrypted at rest with the configured certificate), because it holds the
// code and link in clear and the store must not (SECURITY.md item 2).
public sealed class EmailJobPayload(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("PasswordlessBff.Email.Job.v1");

    private sealed record Contents(
        string To, string Template, string? Code, string? Link, DateTimeOffset ExpiresAt, double ExpiresInSeconds, string Locale,
        Dictionary<string, string>? TemplateVariables, string? State, string? ClientAddress, string? UserAgent, string CorrelationId);

    public byte[] Protect(LoginEmail email, EmailOrigin origin) => _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(new Contents(
        email.To, email.Template, email.Code, email.Link?.AbsoluteUri, email.ExpiresAt, email.ExpiresIn.TotalSeconds, email.Locale,
        email.TemplateVariables?.ToDictionary(), email.State, origin.ClientAddress, origin.UserAgent, origin.CorrelationId)));

    // Throws CryptographicException when the keys that protected it are gone (the store was replaced, keys deleted).
    public (LoginEmail Email, EmailOrigin Origin) Unprotect(byte[] payload)
    {
        var c = JsonSerializer.Deserialize<Contents>(_protector.Unprotect(payload))
            ?? throw new System.Security.Cryptography.CryptographicException("empty email job");
        var email = new LoginEmail(c.To, c.Template, c.Code, c.Link is null ? null : new Uri(c.Link), c.ExpiresAt,
            TimeSpan.FromSeconds(c.ExpiresInSeconds), c.Locale, c.TemplateVariables) { State = c.State };
        return (email, new EmailOrigin(c.ClientAddress, c.UserAgent, c.CorrelationId));
    }
}
