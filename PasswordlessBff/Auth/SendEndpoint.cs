using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Auth;

public sealed record SendRequest(string? Email, string? ReturnTo, string? Template, string? State);

public sealed class SendRequestValidator : AbstractValidator<SendRequest>
{
    public SendRequestValidator()
    {
        RuleFor(r => r.Email).Must(EmailAddress.IsValid)
            .WithMessage($"Enter a valid email address (at most {EmailAddress.MaxLength} characters, no line breaks).");
        RuleFor(r => r.Template).Must(t => t is null or "signin" or "signup")
            .WithMessage("template is 'signin' or 'signup'.");
        RuleFor(r => r.State).MaximumLength(1024).Must(s => s is null || !s.Any(char.IsControl))
            .WithMessage("state is at most 1024 characters without control characters.");
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
        TimeProvider time,
        CancellationToken ct)
    {
        if (!returnToPolicy.TryNormalize(request.ReturnTo, out var returnTo))
        {
            return Problems.From(AuthError.ReturnToNotAllowed);
        }
        var command = new SendCommand(EmailAddress.Normalize(request.Email!), returnTo, request.Template ?? "signin", request.State);
        // The same answer for every well-formed address: nothing here says whether it has signed in before.
        var result = await provider.SendAsync(command, ct);
        if (result is SendResult.Failed failed)
        {
            return Problems.From(failed.Failure);
        }
        var ticket = ((SendResult.Sent)result).Ticket;
        binding.Set(context, ticket.AuthRequestId, ticket.ExpiresAt);
        return TypedResults.Ok(SendResponse.From(ticket, time.GetUtcNow()));
    }
}
