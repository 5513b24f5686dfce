using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using EmotionApi.Deployment;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EmotionApi.Training;

/// <summary>Where Hangfire keeps its queue and job states.</summary>
public enum JobStorageKind
{
    /// <summary>Embedded, nothing to install; lives and dies with one process (which then runs both roles).</summary>
    InMemory,

    /// <summary>A PostgreSQL database shared by every node of a deployment (Hangfire.PostgreSql).</summary>
    PostgreSql,
}

/// <summary>Configuration section "Hangfire": the job storage and the dashboard.</summary>
public sealed partial class HangfireOptions
{
    public const string Section = "Hangfire";

    /// <summary>The name under "ConnectionStrings" of the PostgreSQL connection string.</summary>
    public const string ConnectionStringName = "Hangfire";

    /// <summary>InMemory (default) or PostgreSql (needs ConnectionStrings:Hangfire).</summary>
    public JobStorageKind Storage { get; set; } = JobStorageKind.InMemory;

    /// <summary>PostgreSQL schema of Hangfire's tables, created when missing. One schema per deployment.</summary>
    public string SchemaName { get; set; } = "hangfire";

    /// <summary>
    /// PostgreSQL: a job whose worker stopped renewing it for this long is handed to another worker. The
    /// running worker renews it every fifth of this (sliding invisibility), so a run may last any time; a
    /// killed worker's job is picked up again after about this long.
    /// </summary>
    [Range(5, 86_400)]
    public double InvisibilityTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// PostgreSQL: how often idle workers look for jobs. New jobs are announced at once (LISTEN/NOTIFY); the
    /// poll finds the jobs of workers that died.
    /// </summary>
    [Range(0.1, 3_600)]
    public double QueuePollIntervalSeconds { get; set; } = 5;

    /// <summary>Where the dashboard is served.</summary>
    public string DashboardPath { get; set; } = "/hangfire";

    /// <summary>
    /// User name and password that open the dashboard with HTTP Basic authentication (use it behind TLS).
    /// Without both, the dashboard is open only to local requests in Development and closed otherwise.
    /// </summary>
    public string? DashboardUsername { get; set; }

    public string? DashboardPassword { get; set; }

    /// <summary>From ConnectionStrings:Hangfire (environment variable ConnectionStrings__Hangfire), not from this section.</summary>
    public string? ConnectionString { get; internal set; }

    public TimeSpan InvisibilityTimeout => TimeSpan.FromSeconds(InvisibilityTimeoutSeconds);

    /// <summary>How often a running job's lock session is checked: as often as Hangfire renews the job.</summary>
    public TimeSpan LockCheckInterval => InvisibilityTimeout / 5;

    /// <summary>Hangfire.PostgreSql writes the schema name into its SQL: only a plain identifier is accepted.</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    internal static partial Regex PlainSchemaName();
}

/// <summary>Start-up checks of "Hangfire" that need more than one key (and the node's roles).</summary>
public sealed class HangfireOptionsValidator(NodeRoles roles) : IValidateOptions<HangfireOptions>
{
    public ValidateOptionsResult Validate(string? name, HangfireOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Storage))
            failures.Add($"Hangfire:Storage is '{options.Storage}': use InMemory or PostgreSql.");

        if (options.Storage == JobStorageKind.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add("Hangfire:Storage is PostgreSql but no connection string is set: set ConnectionStrings:Hangfire " +
                             "(environment variable ConnectionStrings__Hangfire), for example " +
                             "'Host=postgres;Port=5432;Database=emotionapi;Username=emotionapi;Password=...'.");
            }
            else
            {
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException e)
                {
                    failures.Add($"ConnectionStrings:Hangfire is not a valid PostgreSQL connection string: {e.Message}");
                }
            }
            if (!HangfireOptions.PlainSchemaName().IsMatch(options.SchemaName ?? ""))
                failures.Add($"Hangfire:SchemaName '{options.SchemaName}' must be lower-case letters, digits and underscores (at most 63), not starting with a digit.");
        }
        else if (!roles.ServesApi || !roles.RunsTrainingWorkers)
        {
            failures.Add($"Node:Roles is '{roles}' but Hangfire:Storage is InMemory, which lives inside one process: " +
                         (roles.ServesApi ? "no worker could ever run the jobs this node queues. " : "no API node could ever queue a job for this worker. ") +
                         "Share a PostgreSQL job storage between the nodes (Hangfire:Storage=PostgreSql and ConnectionStrings:Hangfire), " +
                         "or run both roles in one process (Node:Roles=Api,Worker).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Hangfire in this service: where jobs are stored, which processes run training workers, and the
/// dashboard. Everything is per host (several hosts share a process in tests): the storage and job
/// activator are this host's services, never Hangfire's process-wide JobStorage.Current.
/// </summary>
public static class HangfireSetup
{
    /// <summary>
    /// The job storage chosen by <see cref="HangfireOptions.Storage"/>, and the execution lock that goes with it.
    /// InMemory dies with the process, which is why every job also has a durable record
    /// (<see cref="TrainingJobStore"/>) and restarts re-queue from it. PostgreSQL is shared by every node.
    /// </summary>
    public static WebApplicationBuilder AddHangfireJobStorage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(builder.GetNodeRoles());
        services.AddOptions<HangfireOptions>()
            .BindConfiguration(HangfireOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString(HangfireOptions.ConnectionStringName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
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
                .UseRecommendedSerializerSettings()
                .UseLogProvider(HangfireLogBridge.Instance);
        });
        return builder;
    }

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
