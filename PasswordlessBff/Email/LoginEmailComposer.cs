using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Email;

// Plain text and HTML versions of the sign-in email, each with the link, the code and the expiry.
public sealed class LoginEmailComposer(IOptions<EmailOptions> email, IOptions<PasswordlessOptions> passwordless)
{
    public MimeMessage Compose(LoginEmail message)
    {
        var app = passwordless.Value.AppName;
        var signup = message.Template == "signup";
        var mime = new MimeMessage
        {
            Subject = signup ? $"Confirm your email for {app}" : $"Sign in to {app}",
            Date = message.ExpiresAt - message.ExpiresIn,
        };
        mime.From.Add(email.Value.FromAddress);
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        mime.Headers.Add("X-Auto-Response-Suppress", "All");
        var builder = new BodyBuilder
        {
            TextBody = Text(message, app, signup),
            HtmlBody = Html(message, app, signup),
        };
        mime.Body = builder.ToMessageBody();
        return mime;
    }

    private static string Expiry(LoginEmail message) =>
        $"{Math.Max(1, (int)Math.Round(message.ExpiresIn.TotalMinutes))} minutes " +
        $"(at {message.ExpiresAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC)";

    private static string Text(LoginEmail message, string app, bool signup)
    {
        var lines = new List<string> { "Hello,", "", signup ? $"Confirm your email address to finish signing up for {app}." : $"Someone asked to sign in to {app} with this email address.", "" };
        if (message.Link is not null)
        {
            lines.Add("Open this link to continue:");
            lines.Add(message.Link.AbsoluteUri);
            lines.Add("");
        }
        if (message.Code is not null)
        {
            lines.Add(message.Link is null ? "Enter this code:" : "Or enter this code on the sign-in page:");
            lines.Add(message.Code);
            lines.Add("");
        }
        lines.Add($"This expires in {Expiry(message)} and works once.");
        lines.Add("If you did not ask for it, ignore this email: nothing happens without the link or code.");
        return string.Join("\r\n", lines) + "\r\n";
    }

    private static string Html(LoginEmail message, string app, bool signup)
    {
        static string e(string? value) => WebUtility.HtmlEncode(value) ?? "";
        var intro = signup ? $"Confirm your email address to finish signing up for {e(app)}." : $"Someone asked to sign in to {e(app)} with this email address.";
        var link = message.Link is null ? "" : $"""
            <tr><td style="padding:8px 0 16px"><a href="{e(message.Link.AbsoluteUri)}" style="display:inline-block;background:#1f4fd6;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:6px">{(signup ? "Confirm and sign in" : "Sign in")}</a></td></tr>
            """;
        var code = message.Code is null ? "" : $"""
            <tr><td style="padding:8px 0 4px;color:#333333">{(message.Link is null ? "Enter this code:" : "Or enter this code on the sign-in page:")}</td></tr>
            <tr><td style="padding:0 0 16px;font:700 28px/1.2 Consolas,Menlo,monospace;letter-spacing:6px;color:#111111">{e(message.Code)}</td></tr>
            """;
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>{e(app)}</title></head>
            <body style="margin:0;padding:0;background:#f4f5f7">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7"><tr><td align="center" style="padding:24px 12px">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:480px;background:#ffffff;border-radius:8px;padding:24px;font:16px/1.5 -apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#333333">
            <tr><td style="padding:0 0 12px;font-size:20px;font-weight:700;color:#111111">{e(app)}</td></tr>
            <tr><td style="padding:0 0 12px">{intro}</td></tr>
            {link}
            {code}
            <tr><td style="padding:0;color:#666666;font-size:14px">This expires in {e(Expiry(message))} and works once. If you did not ask for it, ignore this email: nothing happens without the link or code.</td></tr>
            </table></td></tr></table></body></html>
            """;
    }
}
