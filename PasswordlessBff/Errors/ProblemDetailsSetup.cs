using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;

namespace PasswordlessBff.Errors;

public static class ProblemDetailsSetup
{
    // Every error, ours or the framework's, leaves as ProblemDetails with a stable code and no internals.
    public static IServiceCollection AddAuthProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (!problem.Extensions.ContainsKey("code"))
            {
                var error = ApiError.ForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
                problem.Title = error.Title;
                problem.Detail = error.Detail;
                problem.Type = $"https://passwordless-bff.dev/errors/{error.Code}";
                problem.Extensions["code"] = error.Code;
                if (error == ApiError.ValidationFailed && problem is not HttpValidationProblemDetails)
                {
                    // The framework refused the body before our validators saw it (bad JSON, wrong types, no body).
                    problem.Extensions["errors"] = new Dictionary<string, string[]>
                    {
                        ["body"] = ["The body is missing or is not JSON of the expected shape."],
                    };
                }
            }
            if (problem.Status == StatusCodes.Status429TooManyRequests && !problem.Extensions.ContainsKey("retryAfter"))
            {
                // Every 429 says when to come back, the framework's own included.
                problem.Extensions["retryAfter"] = 1;
            }
            problem.Extensions.Remove("exception");
            problem.Extensions.Remove("traceId");
            problem.Instance = null;
            if (problem.Extensions.TryGetValue("retryAfter", out var seconds) && seconds is int wait)
            {
                context.HttpContext.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            }
        });
        services.AddExceptionHandler<UnavailableDependencyHandler>();
        return services;
    }
}

// A store or mail outage is the caller's 503, never a 500 with internals.
internal sealed partial class UnavailableDependencyHandler(IProblemDetailsService problems, ILogger<UnavailableDependencyHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var error = exception switch
        {
            DependencyUnavailableException => ApiError.UpstreamUnavailable,
            UnauthenticatedException => ApiError.Unauthenticated,
            BadHttpRequestException bad => ApiError.ForStatus(bad.StatusCode),
            _ => ApiError.Internal,
        };
        if (error == ApiError.Internal)
        {
            LogUnhandled(logger, exception);
        }
        else if (exception is DependencyUnavailableException unavailable)
        {
            LogDependencyDown(logger, unavailable.Dependency);
        }
        httpContext.Response.StatusCode = error.Status;
        var problem = Problems.From(error).ProblemDetails;
        // Whatever the Accept header says, the caller gets the JSON problem: never an empty answer.
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem }))
        {
            await httpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json", cancellationToken: cancellationToken);
        }
        return true;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unhandled exception while serving a request")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Dependency {Dependency} is unavailable; answered 503")]
    private static partial void LogDependencyDown(ILogger logger, string dependency);
}
