namespace EmotionApi.BackgroundJobs;

/// <summary>Where Hangfire keeps its queue and job states.</summary>
public enum JobStorageKind
{
    /// <summary>Embedded, nothing to install; lives and dies with one process (which then runs both roles).</summary>
    InMemory,

    /// <summary>A PostgreSQL database shared by every node of a deployment (Hangfire.PostgreSql).</summary>
    PostgreSql,
}
