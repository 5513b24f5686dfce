using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Microsoft.Extensions.Options;

namespace EmotionApi.Training;

/// <summary>Configuration section "Hangfire": the job dashboard.</summary>
public sealed class HangfireOptions
{
    public const string Section = "Hangfire";

    /// <summary>Where the dashboard is served.</summary>
    public string DashboardPath { get; set; } = "/hangfire";

    /// <summary>
    /// User name and password that open the dashboard with HTTP Basic authentication (use it behind TLS).
    /// Without both, the dashboard is open only to local requests in Development and closed otherwise.
    /// </summary>
    public string? DashboardUsername { get; set; }

    public string? DashboardPassword { get; set; }
}

/// <summary>
/// Hangfire in this service: where jobs are stored, which processes run training workers, and the
/// dashboard. Everything is per host (several hosts share a process in tests): the storage and job
/// activator are this host's services, never Hangfire's process-wide JobStorage.Current.
/// </summary>
public static class HangfireSetup
{
    /// <summary>
    /// The job storage: Hangfire.InMemory, embedded, nothing to install. It dies with the process, which is
    /// why every job also has a durable record (<see cref="TrainingJobStore"/>) and restarts re-queue from it.
    /// </summary>
    public static WebApplicationBuilder AddHangfireJobStorage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HangfireOptions>().BindConfiguration(HangfireOptions.Section);

        // Registered before AddHangfire, whose fallbacks are the process-wide JobStorage.Current and
        // JobActivator.Current: shared by every host in the process, so one host would run another's jobs.
        services.AddSingleton<JobStorage>(provider =>
        {
            // Hangfire's components take their loggers when built: the log bridge must be in place first.
            provider.GetRequiredService<IGlobalConfiguration>();
            return new InMemoryStorage(new InMemoryStorageOptions());
        });
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<HangfireLogAttachment>();
        services.AddHangfire((provider, configuration) =>
        {
            provider.GetRequiredService<HangfireLogAttachment>();
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(HangfireLogBridge.Instance);
        });
        return builder;
    }

    /// <summary>
    /// A Hangfire server that serves only the training queue, with <see cref="TrainingJobsOptions.WorkerCount"/>
    /// workers (1 by default: one run already uses every core).
    /// </summary>
    public static WebApplicationBuilder AddTrainingWorkers(this WebApplicationBuilder builder)
    {
        builder.Services.AddHangfireServer((services, server) =>
        {
            var options = services.GetRequiredService<IOptions<TrainingJobsOptions>>().Value;
            server.Queues = [TrainingJobsOptions.Queue];
            server.WorkerCount = options.WorkerCount;
        });
        return builder;
    }

    /// <summary>The dashboard, behind <see cref="DashboardAuthorization"/>, on this host's storage.</summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var options = services.GetRequiredService<IOptions<HangfireOptions>>().Value;
        var dashboard = new DashboardOptions
        {
            DashboardTitle = "EmotionApi training jobs",
            AppPath = "/swagger",
            DisplayStorageConnectionString = false,
            Authorization = [new DashboardAuthorization(options, services.GetRequiredService<IWebHostEnvironment>())],
        };
        return app.MapHangfireDashboard(options.DashboardPath, dashboard, services.GetRequiredService<JobStorage>());
    }
}
