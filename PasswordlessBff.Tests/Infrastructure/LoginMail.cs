using System.Text.RegularExpressions;
using MimeKit;

namespace PasswordlessBff.Tests.Infrastructure;

// The code and link as a person reads them from the plain-text part of a delivered email.
public sealed partial record LoginMail(MimeMessage Message, string? Code, Uri? Link)
{
    public string? LinkToken => Link is null ? null : System.Web.HttpUtility.ParseQueryString(Link.Query)["link_token"];

    public static LoginMail From(MimeMessage message)
    {
        var text = message.TextBody ?? "";
        var code = CodePattern().Match(text);
        var link = LinkPattern().Match(text);
        return new LoginMail(message, code.Success ? code.Value : null, link.Success ? new Uri(link.Value) : null);
    }

    public static async Task<LoginMail> ReceiveAsync(BffFactory factory, string to, int nth = 1) =>
        From(await factory.Smtp.WaitForAsync(to, nth));

    [GeneratedRegex(@"(?m)^\d{6}\r?$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
