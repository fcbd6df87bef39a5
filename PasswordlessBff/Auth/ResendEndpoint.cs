using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using PasswordlessBff.Errors;
using PasswordlessBff.Passwordless;

namespace PasswordlessBff.Auth;

public sealed class ResendRequestValidator : AbstractValidator<ResendRequest>
{
    public ResendRequestValidator() =>
        RuleFor(r => r.AuthRequestId).MaximumLength(256).WithMessage("authRequestId is at most 256 characters.");
}

public static class ResendEndpoint
{
    public static async Task<Results<Ok<SendResponse>, ProblemHttpResult>> HandleAsync(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ResendRequest? request,
        HttpContext context,
        IPasswordlessProvider provider,
        BrowserBinding binding,
        AuthEvents events,
        TimeProvider time,
        CancellationToken ct)
    {
        var bound = binding.Read(context);
        var loginId = request?.AuthRequestId ?? bound;
        using var activity = AuthEvents.StartActivity("resend");
        var result = string.IsNullOrEmpty(loginId)
            ? new SendResult.Failed(ApiError.AuthRequestInvalid)
            : await provider.ResendAsync(loginId, ct);
        await events.ResentAsync(context, loginId, result, ct);
        return SendResponse.Answer(result, context, binding, time, bind: bound is not null && bound == loginId);
    }
}
