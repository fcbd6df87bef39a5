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
        AuthEvents events,
        IOptions<PasswordlessOptions> options,
        TimeProvider time,
        CancellationToken ct)
    {
        var started = events.Start();
        using var activity = AuthEvents.StartActivity("verify");
        var authRequestId = request.AuthRequestId ?? binding.Read(context);
        var result = await VerifyAsync(request, authRequestId, provider, options.Value, ct);
        if (result is VerifyResult.Failed failed)
        {
            await events.VerifiedAsync(context, request.Code is null ? "link" : "code", authRequestId, result, started, ct);
            return Problems.From(failed.Failure);
        }
        var session = await sessions.StartAsync(context, ((VerifyResult.Verified)result).Login, ct);
        binding.Clear(context);
        await events.VerifiedAsync(context, request.Code is null ? "link" : "code", authRequestId, result, started, ct);
        return TypedResults.Ok(SessionResponse.From(session, time.GetUtcNow()));
    }

    private static Task<VerifyResult> VerifyAsync(
        VerifyRequest request, string? authRequestId, IPasswordlessProvider provider, PasswordlessOptions options, CancellationToken ct)
    {
        if (request.Code is { } code)
        {
            return authRequestId is null ? Failed(AuthError.AuthRequestInvalid) : provider.VerifyCodeAsync(authRequestId, code, ct);
        }
        // Only the client that started the login knows its id: without it, nothing is consumed.
        return options.EnforceSameBrowser && authRequestId is null
            ? Failed(AuthError.BrowserMismatch)
            : provider.VerifyLinkAsync(request.LinkToken!, authRequestId, ct);
    }

    private static Task<VerifyResult> Failed(AuthError error) => Task.FromResult<VerifyResult>(new VerifyResult.Failed(error));
}

public static class LinkTokenFormat
{
    public static bool IsPlausible(string? token) =>
        token is { Length: > 0 and <= 512 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');
}
