using System.Threading.RateLimiting;
using PasswordlessBff.Errors;
using PasswordlessBff.Storage.Redis;
using RedisRateLimiting;

namespace PasswordlessBff.Limits;

// Per-client fixed windows counted in Redis (RedisRateLimiting), one counter per policy and ClientKey for all instances.
public static class RedisClientLimits
{
    public static RateLimitPartition<string> Partition(HttpContext context, string policy, string client, int perMinute)
    {
        var redis = context.RequestServices.GetRequiredService<RedisConnection>();
        return RateLimitPartition.Get($"{redis.KeyPrefix}{policy}:{client}", key => new FailClosedLimiter(
            new RedisFixedWindowRateLimiter<string>(key, new RedisFixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                ConnectionMultiplexerFactory = () => redis.Multiplexer,
            })));
    }

    // Redis away: the request answers 503 upstream_unavailable like every other store failure, never 500.
    private sealed class FailClosedLimiter(RateLimiter inner) : RateLimiter
    {
        public override TimeSpan? IdleDuration => inner.IdleDuration;

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(permitCount);

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            try
            {
                return await inner.AcquireAsync(permitCount, cancellationToken);
            }
            catch (Exception e) when (RedisConnection.IsOutage(e))
            {
                throw new DependencyUnavailableException("Redis client limits", e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
