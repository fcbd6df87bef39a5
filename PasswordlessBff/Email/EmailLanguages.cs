using Microsoft.Net.Http.Headers;

namespace PasswordlessBff.Email;

// The email's language: the locale given to send, else the browser's Accept-Language, else English.
public sealed class EmailLanguages(IServiceProvider services)
{
    // With Scalekit there are no local templates; Scalekit's own template settings decide.
    private readonly EmailTemplates? _templates = services.GetService<EmailTemplates>();

    public string For(string? requested, HttpRequest request)
    {
        if (_templates is null)
        {
            return EmailTemplates.DefaultLocale;
        }
        var accepted = request.GetTypedHeaders().AcceptLanguage
            .Where(language => language.Quality is not 0)
            .OrderByDescending(language => language.Quality ?? 1)
            .Select(language => language.Value.Value);
        return _templates.Negotiate(accepted.Prepend(requested));
    }
}
