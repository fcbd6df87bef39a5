using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Email;

// Renders the templates into a multipart/alternative message (text first) with the headers that help delivery.
public sealed class LoginEmailComposer(EmailTemplates templates, IOptions<EmailOptions> email, IOptions<PasswordlessOptions> passwordless)
{
    public async Task<MimeMessage> ComposeAsync(LoginEmail message)
    {
        var options = email.Value;
        var rendered = await templates.RenderAsync(new EmailModel(
            message.Template, message.Locale, passwordless.Value.AppName, options.AppLogoUrl, options.SupportEmail,
            message.To, message.Link?.AbsoluteUri, message.Code,
            Math.Max(1, (int)Math.Round(message.ExpiresIn.TotalMinutes)), message.TemplateVariables));
        var from = options.FromAddress;
        var mime = new MimeMessage
        {
            Subject = rendered.Subject,
            Date = message.ExpiresAt - message.ExpiresIn,
            MessageId = MimeUtils.GenerateMessageId(from.Domain),
        };
        mime.From.Add(from);
        mime.To.Add(MailboxAddress.Parse(message.To));
        if (!string.IsNullOrWhiteSpace(options.ReplyTo))
        {
            mime.ReplyTo.Add(MailboxAddress.Parse(options.ReplyTo));
        }
        // An automated message: no out-of-office replies, no auto-forwarding loops.
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        mime.Headers.Add("X-Auto-Response-Suppress", "All");
        mime.Headers.Add("Content-Language", message.Locale);
        mime.Body = new BodyBuilder { TextBody = rendered.Text, HtmlBody = rendered.Html }.ToMessageBody();
        return mime;
    }
}
