using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;
using PasswordlessBff.Testing;
using PasswordlessBff.Sessions;

namespace PasswordlessBff.Auth;

public sealed class VerifyRequestValidator : AbstractValidator<VerifyRequest>
{
    public VerifyRequestValidator(TestAddresses testing)
    {
        RuleFor(r => r).Must(r => (r.Code is null) != (r.LinkToken is null))
            .WithName("credential").WithMessage("Send exactly one of code or linkToken.");
        RuleFor(r => r.Code).Must(code => IsSixDigits(code!) || testing.IsCodeShaped(code!)).When(r => r.Code is not null)
            .WithMessage("code is the 6-digit number from the email.");
        RuleFor(r => r.LinkToken).Must(LinkTokenFormat.IsPlausible).When(r => r.LinkToken is not null)
            .WithMessage("linkToken is the link_token value of the magic link.");
        RuleFor(r => r.AuthRequestId).MaximumLength(256).WithMessage("authRequestId is at most 256 characters.");
        RuleFor(r => r.CodeVerifier).Must(Pkce.IsVerifier).When(r => r.CodeVerifier is not null)
            .WithMessage("codeVerifier is 43-128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636).");
    }

    private static bool IsSixDigits(string code) => code.Length == 6 && code.All(char.IsAsciiDigit);
}

// The code path, and the link path for SPAs or webviews that catch the link themselves.
public static class VerifyEndpoint
{
    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> HandleAsync(
        VerifyRequest request,
        HttpContext context,
        IPasswordlessProvider provider,
        BrowserBinding binding,
        SignIn signIn,
        AuthEvents events,
        IOptions<PasswordlessOptions> options,
        TimeProvider time,
        CancellationToken ct)
    {
        var started = events.Start();
        using var activity = AuthEvents.StartActivity("verify");
        var method = request.Code is null ? "link" : "code";
        var bound = binding.Read(context);
        var loginId = request.AuthRequestId ?? bound;
        var checkedOut = await VerifyAsync(request, bound, provider, options.Value, ct);
        // Every loser of a race for one login hears the same: the request is finished (code), the link is used.
        var lostRace = request.Code is null ? ApiError.CredentialInvalid : ApiError.AuthRequestInvalid;
        var (result, session) = await signIn.CompleteAsync(context, checkedOut, lostRace, ct);
        await events.VerifiedAsync(context, method, loginId, result, started, ct);
        return result is VerifyResult.Failed failed
            ? Problems.From(failed.Failure)
            : TypedResults.Ok(SessionResponse.From(session!, time.GetUtcNow()));
    }

    private static Task<VerifyResult> VerifyAsync(
        VerifyRequest request, string? bound, IPasswordlessProvider provider, PasswordlessOptions options, CancellationToken ct)
    {
        if (request.Code is { } code)
        {
            // The code is the secret: an loginId in the body serves as well as the cookie.
            var loginId = request.AuthRequestId ?? bound;
            return loginId is null ? Failed(ApiError.AuthRequestInvalid) : provider.VerifyCodeAsync(loginId, code, request.CodeVerifier, ct);
        }
        if (!options.EnforceSameBrowser || request.CodeVerifier is not null)
        {
            // A deliberate POST (the confirmation page, or an app that caught the link): the cookie of another
            // pending login in this browser does not stand in the way. An app's PKCE verifier takes the cookie's
            // place; the provider accepts it only for a login sent with its challenge.
            return provider.VerifyLinkAsync(request.LinkToken!, request.AuthRequestId, request.CodeVerifier, ct);
        }
        // Same-browser enforcement means the cookie: an id in the body is no substitute, and must agree with it.
        return bound is null || (request.AuthRequestId is not null && !string.Equals(request.AuthRequestId, bound, StringComparison.Ordinal))
            ? Failed(ApiError.BrowserMismatch)
            : provider.VerifyLinkAsync(request.LinkToken!, bound, codeVerifier: null, ct);
    }

    private static Task<VerifyResult> Failed(ApiError error) => Task.FromResult<VerifyResult>(new VerifyResult.Failed(error));
}

public static class LinkTokenFormat
{
    public static bool IsPlausible(string? token) =>
        token is { Length: > 0 and <= 512 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');
}
