using EmotionApi.Deployment;
using EmotionApi.Shared;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EmotionApi.Http;

/// <summary>
/// Probes for Docker and Kubernetes: /health/live answers while the process serves requests;
/// /health/ready runs the checks tagged <see cref="ReadyTag"/> (the data folder is writable here; the job storage
/// is reachable, added by the background jobs' setup) and names the node's roles. Served by every node, whatever its roles.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of the checks /health/ready runs.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddServiceHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DataFolderHealthCheck>("data-folder", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapServiceHealthChecks(this IEndpointRouteBuilder app)
    {
        // Probes are anonymous: orchestrators send no key.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithTags("Health").WithSummary("Liveness: the process answers.").AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReport,
        }).WithTags("Health").WithSummary("Readiness: job storage reachable and data folder writable.").AllowAnonymous();
        return app;
    }

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var roles = context.RequestServices.GetService<NodeRoles>() ?? NodeRoles.Both;
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            node = new { name = Environment.MachineName, roles = roles.ToString() },
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        });
    }

    private sealed class DataFolderHealthCheck(DataFolder folder) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var probe = Path.Combine(folder.Temporary, $".health-{Guid.NewGuid():N}");
            try
            {
                File.WriteAllBytes(probe, [1]);
                File.Delete(probe);
                return Task.FromResult(HealthCheckResult.Healthy($"{folder.Root} is writable"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"{folder.Root} is not writable: {e.Message}"));
            }
        }
    }
}
