using System.ComponentModel.DataAnnotations;

namespace EmotionApi.Training;

/// <summary>Configuration section "TrainingJobs".</summary>
public sealed class TrainingJobsOptions
{
    public const string Section = "TrainingJobs";

    /// <summary>
    /// Training runs at once in this process (the workers of the background jobs' server). Training uses every core (platform notes), so more than
    /// one worker per machine only makes each run slower.
    /// </summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 1;

    /// <summary>How often, at most, batch progress is written to a job's record (epochs are always written).</summary>
    [Range(0.05, 60)]
    public double ProgressIntervalSeconds { get; set; } = 1.0;

    /// <summary>How often a running job looks for a cancellation requested through its record (by any node).</summary>
    [Range(0.1, 60)]
    public double CancellationCheckSeconds { get; set; } = 1.0;

    /// <summary>
    /// Scheduling niceness of a training run's threads (Linux, 0 to 19; 0 leaves them as they are): above 0, a
    /// prediction on the same node takes the cores when it needs them and training gets what is left
    /// (docs/performance.md measures the choice).
    /// </summary>
    [Range(0, 19)]
    public int Niceness { get; set; } = 10;

    /// <summary>torch's intra-op threads for a training run; unset: torch's process-wide count (Torch:Threads).</summary>
    [Range(1, 1024)]
    public int? Threads { get; set; }

    /// <summary>
    /// Queued and running jobs one API key may have at once; one more is refused (429) until one finishes or is cancelled.
    /// Jobs queued without a key (an open service) are not counted. 0 = no limit.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxUnfinishedJobsPerKey { get; set; } = 10;
}
