using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PasswordlessBff.Errors;
using PasswordlessBff.Http;

namespace PasswordlessBff.ApiDocs;

// Per operation: the problem codes it can answer (x-problem-codes and each problem response's description), the
// required X-CSRF header on state-changing calls, and the session cookie where an answer can be `unauthenticated`.
internal sealed class ProblemCodesOperationTransformer : IOpenApiOperationTransformer
{
    public const string ProblemCodesExtension = "x-problem-codes";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var method = context.Description.HttpMethod ?? HttpMethods.Get;
        var errors = metadata.OfType<ProblemCodesMetadata>().SelectMany(m => m.Errors).ToList();
        if (metadata.OfType<CsrfHeaderMetadata>().Any() && CsrfProtection.IsStateChanging(method))
        {
            errors.AddRange(CsrfHeaderMetadata.Errors);
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = CsrfProtection.HeaderName,
                In = ParameterLocation.Header,
                Required = true,
                Description = "Anti-forgery header: always the value 1. Without it the answer is 403 csrf_header_missing.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("1")] },
            });
            AddResponse(operation, StatusCodes.Status403Forbidden, context.Document);
        }
        errors = errors.DistinctBy(error => error.Code).OrderBy(error => error.Status).ToList();
        if (errors.Count == 0)
        {
            return Task.CompletedTask;
        }
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions[ProblemCodesExtension] = new JsonNodeExtension(new JsonArray(errors
            .Select(error => (JsonNode)new JsonObject { ["code"] = error.Code, ["status"] = error.Status, ["title"] = error.Title })
            .ToArray()));
        foreach (var group in errors.GroupBy(error => error.Status))
        {
            var response = AddResponse(operation, group.Key, context.Document);
            if (response is OpenApiResponse described)
            {
                described.Description = $"{ReasonPhrase(group.Key)}. Problem details with `code`: {string.Join(", ", group.Select(e => $"`{e.Code}`"))}.";
            }
        }
        if (errors.Contains(ApiError.Unauthenticated))
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(CookieDocumentTransformer.SessionScheme, context.Document)] = [],
            });
        }
        return Task.CompletedTask;
    }

    private static IOpenApiResponse AddResponse(OpenApiOperation operation, int status, OpenApiDocument? document)
    {
        operation.Responses ??= [];
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(key, out var response))
        {
            response = new OpenApiResponse
            {
                Description = ReasonPhrase(status),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemCodes.ContentType] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
                },
            };
            operation.Responses[key] = response;
        }
        return response;
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
