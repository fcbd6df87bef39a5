using FluentValidation;
using PasswordlessBff.Auth;
using PasswordlessBff.Policy;

namespace PasswordlessBff.Admin;

// Whose sessions: exactly one of userId (the hook's, or the derived one) and email (canonicalised first).
public sealed record AdminRevokeRequest(string? UserId, string? Email);

public sealed record AdminSession(
    string Id, string UserId, string Email, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt,
    DateTimeOffset ExpiresAt, string? Device);

public sealed record AdminSessionListResponse(IReadOnlyList<AdminSession> Sessions);

public sealed record AdminRevokeResponse(int Revoked);

public sealed class AdminRevokeRequestValidator : AbstractValidator<AdminRevokeRequest>
{
    public AdminRevokeRequestValidator()
    {
        RuleFor(r => r).Must(r => (r.UserId is null) != (r.Email is null))
            .WithName("owner").WithMessage("Send exactly one of userId or email.");
        RuleFor(r => r.UserId).Must(id => id is { Length: > 0 and <= HookAnswerReader.MaxUserIdLength } && !id.Any(char.IsControl))
            .When(r => r.UserId is not null)
            .WithMessage($"userId is 1 to {HookAnswerReader.MaxUserIdLength} characters without control characters.");
        RuleFor(r => r.Email).Must(email => EmailAddress.TryCanonicalize(email, out _)).When(r => r.Email is not null)
            .WithMessage("email is a valid address such as ada@example.com.");
    }
}
