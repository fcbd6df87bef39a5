using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PasswordlessBff.Auth;
using PasswordlessBff.Errors;
using PasswordlessBff.Storage;

namespace PasswordlessBff.Limits;

// Per-client limits on the endpoints that cost an email or a guess; session checks are never limited. AddLimits also
// registers the per-mailbox email budget and the wrong-code gate: every limit and its options live in this folder.
public static class ClientRateLimits
{
    private const string SendPolicy = "client-send";
    private const string VerifyPolicy = "client-verify";
    private const string PollPolicy = "client-poll";

    public static IServiceCollection AddLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LimitOptions>().Bind(configuration.GetSection(LimitOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LimitOptions>, LimitOptionsValidator>();
        services.AddSingleton<EmailBudget>();
        services.AddSingleton<WrongCodeGate>();

        var shared = configuration.UsesRedis();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SendPolicy, context => PerClient(context, SendPolicy, Limits(context).SendPerMinute, shared));
            options.AddPolicy(VerifyPolicy, context => PerClient(context, VerifyPolicy, Limits(context).VerifyPerMinute, shared));
            options.AddPolicy(PollPolicy, context => PerClient(context, PollPolicy, Limits(context).PollPerMinute, shared));
            options.OnRejected = async (context, ct) =>
            {
                var wait = RetryAfter(context.Lease);
                var http = context.HttpContext;
                var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "client";
                http.RequestServices.GetRequiredService<AuthMetrics>().RateLimited(policy);
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                // Retry-After is written with the problem, from its retryAfter, like every other 429.
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = Problems.From(new ApiFailure(ApiError.RateLimited, wait)).ProblemDetails,
                });
            };
        });
        return services;
    }

    public static TBuilder RequireSendRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(SendPolicy).ProducesProblems(ApiError.RateLimited);

    public static TBuilder RequirePollRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(PollPolicy).ProducesProblems(ApiError.RateLimited);

    public static TBuilder RequireVerifyRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(VerifyPolicy).ProducesProblems(ApiError.RateLimited);

    private static RateLimitPartition<string> PerClient(HttpContext context, string policy, int perMinute, bool shared)
    {
        var client = ClientKey.For(context.Connection.RemoteIpAddress);
        return shared switch
        {
            // Several instances count together in Redis, so a client's budget does not grow with the instance count.
            true => RedisClientLimits.Partition(context, policy, client, perMinute),
            false => RateLimitPartition.GetFixedWindowLimiter(client,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }),
        };
    }

    // The validated options (a singleton lookup per request; each client's limiter is made once).
    private static LimitOptions Limits(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value;

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait
        : lease.TryGetMetadata(RedisRateLimiting.RateLimitMetadataName.RetryAfter, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : TimeSpan.FromMinutes(1);
}
