using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace EmotionApi.Http.Security;

/// <summary>
/// A rate limit per caller (<see cref="ApiCaller.PartitionOf"/>): <paramref name="permitsPerMinute"/> requests in each
/// minute's window, none queued. Over it: a 429 problem with <c>Retry-After</c> (seconds until the window opens again).
/// </summary>
/// <param name="name">The policy's name, as in <c>RateLimits:&lt;name&gt;</c>.</param>
/// <param name="permitsPerMinute">0: no limit.</param>
/// <param name="what">What is counted, for the answer ("prediction requests").</param>
public sealed class CallerRateLimitPolicy(string name, int permitsPerMinute, string what) : IRateLimiterPolicy<string>
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var caller = ApiCaller.PartitionOf(httpContext);
        return permitsPerMinute == 0
            ? RateLimitPartition.GetNoLimiter(caller)
            : RateLimitPartition.GetFixedWindowLimiter(caller, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitsPerMinute, Window = Window, QueueLimit = 0, AutoReplenishment = true,
            });
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (rejected, _) =>
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"{ApiCaller.Describe(context)} may make {permitsPerMinute} {what} a minute ({RateLimitsOptions.Section}:{name}:PermitsPerMinute). " +
            $"Retry after {seconds} s.");
    };
}
