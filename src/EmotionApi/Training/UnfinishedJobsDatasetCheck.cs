using EmotionApi.Datasets;

namespace EmotionApi.Training;

/// <summary>A queued or running job reads its dataset's images later (or again, when it resumes after a restart).</summary>
public sealed class UnfinishedJobsDatasetCheck(TrainingJobStore jobs) : IDatasetInUseCheck
{
    public string? InUseReason(string datasetId) =>
        jobs.List().FirstOrDefault(job => job.DatasetId == datasetId && !job.IsFinished) is { } user
            ? $"Training job '{user.Id}' ({user.State.ToString().ToLowerInvariant()}) uses dataset '{datasetId}': cancel it " +
              "(POST /api/training-jobs/{id}/cancel) or let it finish, then delete the dataset."
            : null;
}
