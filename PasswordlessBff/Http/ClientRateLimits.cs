using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using PasswordlessBff.Errors;

namespace PasswordlessBff.Http;

public sealed class ClientRateLimitOptions
{
    public const string SectionName = "RateLimits";

    public int SendPerMinute { get; set; } = 30;
    public int VerifyPerMinute { get; set; } = 60;
}

// Per-client limits on the endpoints that cost an email or a guess; session checks are never limited.
public static class ClientRateLimits
{
    private const string SendPolicy = "client-send";
    private const string VerifyPolicy = "client-verify";

    public static IServiceCollection AddClientRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(ClientRateLimitOptions.SectionName).Get<ClientRateLimitOptions>() ?? new();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SendPolicy, context => PerClient(context, limits.SendPerMinute));
            options.AddPolicy(VerifyPolicy, context => PerClient(context, limits.VerifyPerMinute));
            options.OnRejected = async (context, ct) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Problems.RetryAfterSeconds(wait).ToString(CultureInfo.InvariantCulture);
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = Problems.From(new AuthFailure(AuthError.RateLimited, wait)).ProblemDetails,
                });
            };
        });
        return services;
    }

    public static TBuilder RequireSendRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(SendPolicy);

    public static TBuilder RequireVerifyRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(VerifyPolicy);

    private static RateLimitPartition<string> PerClient(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
