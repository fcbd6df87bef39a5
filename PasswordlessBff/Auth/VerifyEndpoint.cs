using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Auth;

public sealed record VerifyRequest(string? Code, string? LinkToken, string? AuthRequestId);

public sealed class VerifyRequestValidator : AbstractValidator<VerifyRequest>
{
    public VerifyRequestValidator()
    {
        RuleFor(r => r).Must(r => (r.Code is null) != (r.LinkToken is null))
            .WithName("credential").WithMessage("Send exactly one of code or linkToken.");
        RuleFor(r => r.Code).Matches("^[0-9]{6}$").When(r => r.Code is not null)
            .WithMessage("code is the 6-digit number from the email.");
        RuleFor(r => r.LinkToken).Must(LinkTokenFormat.IsPlausible).When(r => r.LinkToken is not null)
            .WithMessage("linkToken is the link_token value of the magic link.");
        RuleFor(r => r.AuthRequestId).MaximumLength(256).WithMessage("authRequestId is at most 256 characters.");
    }
}

// The code path, and the link path for SPAs or webviews that catch the link themselves.
public static class VerifyEndpoint
{
    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> HandleAsync(
        VerifyRequest request,
        HttpContext context,
        IPasswordlessProvider provider,
        BrowserBinding binding,
        SessionService sessions,
        IOptions<PasswordlessOptions> options,
        TimeProvider time,
        CancellationToken ct)
    {
        var authRequestId = request.AuthRequestId ?? binding.Read(context);
        VerifyResult result;
        if (request.Code is { } code)
        {
            if (authRequestId is null)
            {
                return Problems.From(AuthError.AuthRequestInvalid);
            }
            result = await provider.VerifyCodeAsync(authRequestId, code, ct);
        }
        else if (options.Value.EnforceSameBrowser && authRequestId is null)
        {
            // Only the client that started the login knows its id: without it, nothing is consumed.
            return Problems.From(AuthError.BrowserMismatch);
        }
        else
        {
            result = await provider.VerifyLinkAsync(request.LinkToken!, authRequestId, ct);
        }
        if (result is VerifyResult.Failed failed)
        {
            return Problems.From(failed.Failure);
        }
        var session = await sessions.StartAsync(context, ((VerifyResult.Verified)result).Login, ct);
        binding.Clear(context);
        return TypedResults.Ok(SessionResponse.From(session, time.GetUtcNow()));
    }
}

public static class LinkTokenFormat
{
    public static bool IsPlausible(string? token) =>
        token is { Length: > 0 and <= 512 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');
}
