using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Email;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Auth;

public sealed class SendRequestValidator : AbstractValidator<SendRequest>
{
    public SendRequestValidator()
    {
        RuleFor(r => r.Email).Must(email => EmailAddress.TryCanonicalize(email, out _))
            .WithMessage($"Enter a valid email address such as ada@example.com (at most {EmailAddress.MaxLength} characters; "
                + "no quoted names, IP addresses or dotless domains).");
        RuleFor(r => r.Template).Must(t => t is null or "signin" or "signup")
            .WithMessage("template is 'signin' or 'signup'.");
        RuleFor(r => r.State).MaximumLength(1024).Must(s => s is null || !s.Any(char.IsControl))
            .WithMessage("state is at most 1024 characters without control characters.");
        RuleFor(r => r.Locale).Matches("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$").MaximumLength(35).When(r => r.Locale is not null)
            .WithMessage("locale is a language tag such as 'de' or 'fr-CA'.");
        // The same limits Scalekit puts on template variables, so both providers accept the same requests.
        RuleFor(r => r.TemplateVariables).Must(v => v is null || v.Count <= 30)
            .WithMessage("templateVariables holds at most 30 entries.");
        RuleForEach(r => r.TemplateVariables).Must(p => p.Key.Length is >= 2 and <= 25 && p.Key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            .WithMessage("templateVariables keys are 2-25 letters, digits or underscores.")
            .Must(p => p.Value is not null && p.Value.Length <= 256 && !p.Value.Any(char.IsControl))
            .WithMessage("templateVariables values are at most 256 characters without control characters.")
            .Must(p => !EmailModel.ReservedNames.Contains(p.Key))
            .WithMessage($"templateVariables may not redefine {string.Join(", ", EmailModel.ReservedNames)}.");
        // plain would put the verifier itself in the request that a proxy or log may see: S256 only.
        RuleFor(r => r.CodeChallengeMethod).Equal(Pkce.Method).When(r => r.CodeChallenge is not null || r.CodeChallengeMethod is not null)
            .WithMessage("codeChallengeMethod is 'S256'; 'plain' is not accepted.");
        RuleFor(r => r.CodeChallenge).Must(Pkce.IsChallenge).When(r => r.CodeChallenge is not null || r.CodeChallengeMethod is not null)
            .WithMessage("codeChallenge is BASE64URL(SHA256(codeVerifier)) without padding: 43 characters.");
    }
}

public static class SendEndpoint
{
    public static async Task<Results<Ok<SendResponse>, ProblemHttpResult>> HandleAsync(
        SendRequest request,
        HttpContext context,
        IPasswordlessProvider provider,
        ReturnToPolicy returnToPolicy,
        BrowserBinding binding,
        EmailLanguages languages,
        AuthEvents events,
        TimeProvider time,
        CancellationToken ct)
    {
        // Validated above: every later step sees only the canonical form.
        EmailAddress.TryCanonicalize(request.Email, out var email);
        if (!returnToPolicy.TryNormalize(request.ReturnTo, out var returnTo))
        {
            events.Sent(context, email, new SendResult.Failed(ApiError.ReturnToNotAllowed));
            return Problems.From(ApiError.ReturnToNotAllowed);
        }
        var command = new SendCommand(email, returnTo, request.Template ?? "signin", request.State,
            languages.For(request.Locale, context.Request), request.TemplateVariables) 
        {
            CodeChallenge = request.CodeChallenge,
            AskedBy = UserAgentSummary.Of(context.Request.Headers.UserAgent),
        };
        using var activity = AuthEvents.StartActivity("send");
        // The same answer for every well-formed address: nothing here says whether it has signed in before.
        var result = await provider.SendAsync(command, ct);
        events.Sent(context, email, result);
        return SendResponse.Answer(result, context, binding, time);
    }
}
