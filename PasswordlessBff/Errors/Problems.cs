using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace PasswordlessBff.Errors;

public static class Problems
{
    public static ProblemHttpResult From(ApiFailure failure)
    {
        var problem = new ProblemDetails
        {
            Status = failure.Error.Status,
            Title = failure.Error.Title,
            Detail = failure.Error.Detail,
            Type = $"https://passwordless-bff.dev/errors/{failure.Error.Code}",
        };
        problem.Extensions["code"] = failure.Error.Code;
        // Every 429 says when to come back (API.md); too_many_attempts can start a new sign-in at once.
        var retryAfter = failure.RetryAfter ?? (failure.Error.Status == StatusCodes.Status429TooManyRequests ? TimeSpan.FromSeconds(1) : null);
        if (retryAfter is { } wait)
        {
            // ProblemDetailsSetup copies this into the Retry-After header.
            problem.Extensions["retryAfter"] = RetryAfterSeconds(wait);
        }
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors)
    {
        var error = ApiError.ValidationFailed;
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = error.Status,
            Title = error.Title,
            Detail = error.Detail,
            Type = $"https://passwordless-bff.dev/errors/{error.Code}",
        };
        problem.Extensions["code"] = error.Code;
        return TypedResults.Problem(problem);
    }

    public static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
