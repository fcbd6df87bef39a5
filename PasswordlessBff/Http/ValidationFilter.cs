using FluentValidation;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Http;

public static class ValidationFilter
{
    // Runs the FluentValidation validator of the body type before the handler; failures are 400 validation_failed.
    public static RouteHandlerBuilder ValidateBody<TBody>(this RouteHandlerBuilder builder, bool optional = false) =>
        builder.ProducesProblems(ApiError.ValidationFailed, ApiError.RequestTooLarge, ApiError.UnsupportedMediaType).AddEndpointFilter(async (context, next) =>
        {
            var body = context.Arguments.OfType<TBody>().FirstOrDefault();
            if (body is null && optional)
            {
                return await next(context);
            }
            if (body is null)
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] });
            }
            var validator = context.HttpContext.RequestServices.GetRequiredService<IValidator<TBody>>();
            var result = await validator.ValidateAsync(body, context.HttpContext.RequestAborted);
            if (result.IsValid)
            {
                return await next(context);
            }
            return Problems.Validation(result.Errors
                .GroupBy(error => CamelCase(error.PropertyName))
                .ToDictionary(group => group.Key, group => group.Select(error => error.ErrorMessage).Distinct().ToArray()));
        });

    private static string CamelCase(string name) =>
        string.IsNullOrEmpty(name) ? "body" : char.ToLowerInvariant(name[0]) + name[1..];
}
