using Microsoft.AspNetCore.Mvc;

namespace PasswordlessBff.Errors;

// The problem codes an endpoint can answer, as endpoint metadata: the OpenAPI document lists them per operation.
public sealed record ProblemCodesMetadata(IReadOnlyList<ApiError> Errors);

public static class ProblemCodes
{
    public const string ContentType = "application/problem+json";

    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params ApiError[] errors) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ProblemCodesMetadata(errors));
        foreach (var status in errors.Select(error => error.Status).Distinct())
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ContentType]));
        }
        return builder;
    }
}
