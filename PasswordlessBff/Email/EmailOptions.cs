using Microsoft.Extensions.Options;
using MimeKit;

namespace PasswordlessBff.Email;

public enum SmtpSecurity { None, StartTls, SslOnConnect }

public sealed class EmailOptions
{
    public const string SectionName = "Email";

    public string? From { get; set; }
    public string? ReplyTo { get; set; }
    public string? SupportEmail { get; set; }
    public string? AppLogoUrl { get; set; }

    // A folder whose files replace the built-in templates one by one (signin.html.liquid, locales/de.json, …).
    public string? TemplatesPath { get; set; }
    public SmtpOptions Smtp { get; set; } = new();
    // Send answers 503 while the durable queue holds this many emails (the sender is far behind).
    public int QueueCapacity { get; set; } = 10_000;
    public int MaxDeliveryAttempts { get; set; } = 5;

    // A claimed email whose worker died (the process was killed) is due again after this; longer than one delivery.
    public int ClaimTimeoutSeconds { get; set; } = 60;

    // /readyz reports the queue when a due email has waited this long for a worker.
    public int QueueStalledSeconds { get; set; } = 120;

    public bool SmtpConfigured => !string.IsNullOrWhiteSpace(Smtp.Host);

    public MailboxAddress FromAddress => MailboxAddress.Parse(string.IsNullOrWhiteSpace(From) ? DevFrom : From);

    private const string DevFrom = "PasswordlessBff <no-reply@localhost>";
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public int TimeoutSeconds { get; set; } = 15;

    public int EffectivePort => Port ?? Security switch
    {
        SmtpSecurity.SslOnConnect => 465,
        SmtpSecurity.StartTls => 587,
        _ => 25,
    };
}

internal sealed class EmailOptionsValidator(IHostEnvironment environment) : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var failures = new List<string>();
        if (!options.SmtpConfigured && !environment.IsDevelopment())
        {
            failures.Add("Email__Smtp__Host is missing; outside Development sign-in emails need an SMTP server (set Email__Smtp__Host, Email__Smtp__Port and Email__Smtp__Security).");
        }
        if (string.IsNullOrWhiteSpace(options.From))
        {
            if (!environment.IsDevelopment())
            {
                failures.Add("Email__From is missing; set the sender, e.g. \"Acme <no-reply@acme.example>\".");
            }
        }
        else if (!MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add($"Email__From '{options.From}' is not a valid address; use \"Name <address@example.com>\" or a bare address.");
        }
        if (!string.IsNullOrWhiteSpace(options.ReplyTo) && !MailboxAddress.TryParse(options.ReplyTo, out _))
        {
            failures.Add($"Email__ReplyTo '{options.ReplyTo}' is not a valid address.");
        }
        if (!string.IsNullOrWhiteSpace(options.AppLogoUrl)
            && !(Uri.TryCreate(options.AppLogoUrl, UriKind.Absolute, out var logo) && logo.Scheme == "https"))
        {
            failures.Add("Email__AppLogoUrl must be an absolute https URL (mail clients block other images).");
        }
        if (options.Smtp.Port is < 1 or > 65535)
        {
            failures.Add("Email__Smtp__Port must be between 1 and 65535.");
        }
        if (string.IsNullOrEmpty(options.Smtp.Username) != string.IsNullOrEmpty(options.Smtp.Password))
        {
            failures.Add("Email__Smtp__Username and Email__Smtp__Password go together; set both or neither.");
        }
        if (options.QueueCapacity < 1 || options.MaxDeliveryAttempts < 1)
        {
            failures.Add("Email__QueueCapacity and Email__MaxDeliveryAttempts must be at least 1.");
        }
        if (options.ClaimTimeoutSeconds is < 1 or > 3600 || options.QueueStalledSeconds is < 1 or > 86_400)
        {
            failures.Add("Email__ClaimTimeoutSeconds must be between 1 and 3600 and Email__QueueStalledSeconds between 1 and 86400.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
