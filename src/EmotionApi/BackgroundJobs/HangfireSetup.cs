using EmotionApi.Deployment;
using EmotionApi.Http;
using EmotionApi.Http.Security;
using EmotionApi.Shared;
using EmotionApi.Telemetry;
using EmotionApi.Training;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EmotionApi.BackgroundJobs;

/// <summary>
/// Hangfire in this service: where jobs are stored, which processes run training workers, and the
/// dashboard. Everything is per host (several hosts share a process in tests): the storage and job
/// activator are this host's services, never Hangfire's process-wide JobStorage.Current.
/// </summary>
public static class HangfireSetup
{
    /// <summary>
    /// The Hangfire type name under which the previous version queued training jobs (its Hangfire job class was the
    /// runner, in the Training folder). Executions it left in a shared storage still run after an upgrade.
    /// </summary>
    internal const string PreviousTrainingJobTypeName = "EmotionApi.Training.TrainingJobRunner, EmotionApi";

    /// <summary>
    /// Everything that carries training jobs to workers: options "Hangfire" and their checks, the job storage chosen by
    /// <see cref="HangfireOptions.Storage"/> with the execution lock that goes with it, the dispatcher the training
    /// feature queues through, the restart recovery and the storage's health check (every node: all of them see the
    /// job records), and the training workers (nodes with the Worker role). InMemory dies with the process, which is
    /// why every job also has a durable record and restarts re-queue from it. PostgreSQL is shared by every node.
    /// </summary>
    public static WebApplicationBuilder AddBackgroundJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var roles = builder.GetNodeRoles();
        services.TryAddSingleton(roles);
        services.AddValidatedOptions<HangfireOptions>(HangfireOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(HangfireOptions.ConnectionStringName));
        services.AddSingleton<IValidateOptions<HangfireOptions>, HangfireOptionsValidator>();

        // Registered before AddHangfire, whose fallbacks are the process-wide JobStorage.Current and
        // JobActivator.Current: shared by every host in the process, so one host would run another's jobs.
        services.AddSingleton<JobStorage>(provider =>
        {
            // Hangfire's components take their loggers when built: the log bridge must be in place first.
            provider.GetRequiredService<IGlobalConfiguration>();
            var options = provider.GetRequiredService<IOptions<HangfireOptions>>().Value;
            return options.Storage == JobStorageKind.PostgreSql
                ? CreatePostgreSqlStorage(options, provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HangfireSetup)))
                : new InMemoryStorage(new InMemoryStorageOptions());
        });
        services.AddSingleton<IJobExecutionLock>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<HangfireOptions>>().Value;
            return options.Storage == JobStorageKind.PostgreSql
                ? new PostgreSqlJobExecutionLock(options.ConnectionString!, options.LockCheckInterval,
                    provider.GetRequiredService<ILogger<PostgreSqlJobExecutionLock>>())
                : new InProcessJobExecutionLock();
        });
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<HangfireLogAttachment>();
        services.AddHangfire((provider, configuration) =>
        {
            provider.GetRequiredService<HangfireLogAttachment>();
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseTypeResolver(ResolveType)
                .UseRecommendedSerializerSettings()
                .UseLogProvider(HangfireLogBridge.Instance);
        });

        services.AddSingleton<ITrainingJobDispatcher, HangfireTrainingDispatcher>();
        services.AddSingleton<ITrainingQueueLength, HangfireTrainingQueueLength>();
        services.AddTransient<HangfireTrainingJob>();
        services.AddHostedService<TrainingJobRecovery>();
        services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("job-storage", tags: [HealthEndpoints.ReadyTag]);
        if (roles.RunsTrainingWorkers) AddTrainingWorkers(services);
        return builder;
    }

    /// <summary>The dashboard, behind <see cref="DashboardAuthorization"/> (which also accepts an admin API key), on this host's storage.</summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var options = services.GetRequiredService<IOptions<HangfireOptions>>().Value;
        var dashboard = new DashboardOptions
        {
            DashboardTitle = "EmotionApi training jobs",
            AppPath = "/swagger",
            DisplayStorageConnectionString = false,
            Authorization = [],
            AsyncAuthorization = [new DashboardAuthorization(options, services.GetRequiredService<IWebHostEnvironment>(), services.GetService<ApiKeyRing>())],
        };
        // The dashboard decides itself (it also takes HTTP Basic): the API's key requirement does not apply to it.
        return app.MapHangfireDashboard(options.DashboardPath, dashboard, services.GetRequiredService<JobStorage>()).AllowAnonymous();
    }

    /// <summary>Hangfire's own resolution, with the previous version's name of the training job mapped to today's class.</summary>
    internal static Type ResolveType(string typeName) =>
        typeName == PreviousTrainingJobTypeName ? typeof(HangfireTrainingJob) : TypeHelper.DefaultTypeResolver(typeName);

    /// <summary>
    /// PostgreSQL storage for long CPU-bound runs. By default Hangfire.PostgreSql hands a job that is still
    /// processing to another worker after 30 minutes (platform notes): sliding invisibility renews it while its
    /// worker lives, so the timeout can be short and only a dead worker's job moves. The advisory lock of
    /// <see cref="PostgreSqlJobExecutionLock"/> backs this up. The schema is created when missing, by one node at a
    /// time; start-up fails when the database cannot be reached within a minute, rather than run a node that cannot queue.
    /// </summary>
    private static PostgreSqlStorage CreatePostgreSqlStorage(HangfireOptions options, ILogger logger)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = options.SchemaName,
            PrepareSchemaIfNecessary = true,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = options.InvisibilityTimeout,
            QueuePollInterval = TimeSpan.FromSeconds(options.QueuePollIntervalSeconds),
            EnableLongPolling = true,
            AllowDegradedModeWithoutStorage = false,
        };
        using var installing = PostgreSqlSchemaLock.Acquire(options.ConnectionString!, options.SchemaName, TimeSpan.FromMinutes(1), logger);
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(options.ConnectionString!, storageOptions, null), storageOptions);
    }

    /// <summary>
    /// A Hangfire server that serves only the training queue, with <see cref="TrainingJobsOptions.WorkerCount"/>
    /// workers (1 by default: one run already uses every core). Only nodes with the Worker role run one.
    /// </summary>
    private static void AddTrainingWorkers(IServiceCollection services) =>
        services.AddHangfireServer((provider, server) =>
        {
            var options = provider.GetRequiredService<IOptions<TrainingJobsOptions>>().Value;
            server.Queues = [HangfireTrainingJob.Queue];
            server.WorkerCount = options.WorkerCount;
        });
}
