using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EmotionApi.BackgroundJobs;

/// <summary>Ready only while Hangfire's storage answers: a node that cannot queue or take jobs is not ready.</summary>
public sealed class JobStorageHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var storage = services.GetRequiredService<JobStorage>();
            using var connection = storage.GetConnection();
            connection.GetAllItemsFromSet("health-probe");
            return Task.FromResult(HealthCheckResult.Healthy(storage.ToString()));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Job storage unreachable: {e.Message}"));
        }
    }
}
