using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace EmotionApi.BackgroundJobs;

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
    /// User name and password that open the dashboard with HTTP Basic authentication (use it behind TLS). An admin API
    /// key opens it too (<see cref="DashboardAuthorization"/>); without either, only local requests in Development do.
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
