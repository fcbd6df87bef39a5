using FluentValidation;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Auth;

// The cross-device approval's requests and answers (docs/MOBILE.md).
public sealed record ApprovalLinkRequest(string? LinkToken);

public sealed record ApproveRequest(string? LinkToken, string? Number);

public sealed record CompleteRequest(string? AuthRequestId, string? CodeVerifier);

public sealed record ApprovalDetails(string AskedBy, DateTimeOffset AskedAt, DateTimeOffset ExpiresAt);

public sealed record ApprovalDecision(string Status);

public sealed record ApprovalWaiting(string Status = "waiting");

public sealed class ApprovalLinkRequestValidator : AbstractValidator<ApprovalLinkRequest>
{
    public ApprovalLinkRequestValidator() =>
        RuleFor(r => r.LinkToken).Must(LinkTokenFormat.IsPlausible).WithMessage("linkToken is the link_token value of the magic link.");
}

public sealed class ApproveRequestValidator : AbstractValidator<ApproveRequest>
{
    public ApproveRequestValidator()
    {
        RuleFor(r => r.LinkToken).Must(LinkTokenFormat.IsPlausible).WithMessage("linkToken is the link_token value of the magic link.");
        RuleFor(r => r.Number).Must(n => n is { Length: 2 } && n.All(char.IsAsciiDigit)).WithMessage("number is the 2-digit number on the screen that asked.");
    }
}

public sealed class CompleteRequestValidator : AbstractValidator<CompleteRequest>
{
    public CompleteRequestValidator()
    {
        RuleFor(r => r.AuthRequestId).MaximumLength(256).WithMessage("authRequestId is at most 256 characters.");
        RuleFor(r => r.CodeVerifier).Must(Pkce.IsVerifier).When(r => r.CodeVerifier is not null)
            .WithMessage("codeVerifier is 43-128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636).");
    }
}
