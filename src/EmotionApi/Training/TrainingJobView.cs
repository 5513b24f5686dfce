using EmotionApi.Learning.Training;

namespace EmotionApi.Training;

/// <summary>A training job as the API shows it.</summary>
/// <param name="Id">The job's id; the model it produces gets the same id.</param>
/// <param name="DatasetId">The dataset it trains on.</param>
/// <param name="State">queued, running, succeeded, failed or cancelled.</param>
/// <param name="Stage">What it is doing, or why it stopped, in a few words ("loading images", "training", "evaluating"...).</param>
/// <param name="Progress">Epoch and batch of total, percent, elapsed time and an estimate of the time left; null before the first batch.</param>
/// <param name="LatestEpoch">The metrics of the last finished epoch.</param>
/// <param name="BestEpoch">The epoch whose weights the model kept; set once succeeded.</param>
/// <param name="TestAccuracy">Accuracy on the held-out test set; set once succeeded.</param>
/// <param name="TestRocAuc">ROC AUC on the test set; set once succeeded.</param>
/// <param name="Error">Why it failed; set only when failed.</param>
/// <param name="ModelId">The model it produced; set once succeeded.</param>
/// <param name="CancelRequested">A cancellation was asked for (the job stops at its next batch).</param>
/// <param name="Runs">Executions started: above 1 when it was resumed after a restart.</param>
/// <param name="Settings">The full effective settings: the preset with the request's overrides applied.</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="StartedAt">When its current (or last) execution started.</param>
/// <param name="FinishedAt">When it succeeded, failed or was cancelled.</param>
/// <param name="Links">Where to read its results.</param>
/// <param name="CreatedBy">The name of the API key that queued it; null when it was queued without a key (an open service) or before keys existed.</param>
public sealed record TrainingJobView(
    string Id,
    string DatasetId,
    TrainingJobState State,
    string Stage,
    TrainingJobProgress? Progress,
    EpochMetrics? LatestEpoch,
    int? BestEpoch,
    double? TestAccuracy,
    double? TestRocAuc,
    string? Error,
    string? ModelId,
    bool CancelRequested,
    int Runs,
    TrainingSettings Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    TrainingJobLinks Links,
    string? CreatedBy)
{
    public static TrainingJobView From(TrainingJob job) => new(
        job.Id,
        job.DatasetId,
        job.State,
        job.Stage,
        job.Progress,
        job.LatestEpoch,
        job.BestEpoch,
        job.Evaluation?.Accuracy,
        job.Evaluation?.RocAuc,
        job.Error,
        job.ModelId,
        job.CancelRequested,
        job.Runs,
        job.Settings,
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt,
        TrainingJobLinks.For(job),
        job.CreatedBy);
}
