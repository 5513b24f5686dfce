namespace EmotionApi.BackgroundJobs;

/// <summary>
/// Keeps one job from being executed twice at once (a re-delivered Hangfire job, a restart that queues a
/// job again while an old execution still runs, two nodes that both recovered the same job).
/// </summary>
public interface IJobExecutionLock
{
    /// <summary>The job's execution right until disposed, or null when the job is being executed already (here or on another node).</summary>
    IJobExecution? TryAcquire(string jobId);
}
