using Microsoft.AspNetCore.Http.Features;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Http;

public static class RequestSizeLimit
{
    public const long MaxBodyBytes = 16 * 1024;

    // Bodies over 16 KiB are refused with 413 before anything reads them (API.md).
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Proxied routes stream large bodies under a limit of their own.
        if (context.GetEndpoint()?.Metadata.GetMetadata<OwnRequestSizeLimit>() is not null)
        {
            await next(context);
            return;
        }
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await Results.Problem(Problems.From(ApiError.RequestTooLarge).ProblemDetails).ExecuteAsync(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        await next(context);
    });
}

// Marks endpoints that set their own body limit (the proxied routes).
public sealed class OwnRequestSizeLimit
{
    public static readonly OwnRequestSizeLimit Instance = new();
}
