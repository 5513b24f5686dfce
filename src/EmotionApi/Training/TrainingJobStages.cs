using EmotionApi.Learning.Training;

namespace EmotionApi.Training;

/// <summary>
/// What a job's <see cref="TrainingJob.Stage"/> says, besides the pipeline's own stages (loading images, training,
/// evaluating: <see cref="TrainingPipeline"/>). Written for people; clients read <see cref="TrainingJob.State"/>.
/// </summary>
public static class TrainingJobStages
{
    public const string Queued = "queued";
    public const string Starting = "starting";
    public const string SavingModel = "saving the model";
    public const string Cancelling = "cancelling";
    public const string CancelledBeforeStart = "cancelled before it started";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string Succeeded = "succeeded";
    public const string InterruptedByShutdown = "interrupted by a shutdown; resumes when a worker picks it up again";

    /// <summary>A job found unfinished and without a live execution when a node started.</summary>
    public static string QueuedAfterRestart(TrainingJobState was) =>
        $"queued again after a restart (was {was.ToString().ToLowerInvariant()}); resumes from its last finished epoch";

    /// <summary>A run that went on from the checkpoint of an earlier one.</summary>
    public static string ResumedAfterEpoch(int epoch) => $"{TrainingPipeline.TrainingStage} (resumed after epoch {epoch})";
}
