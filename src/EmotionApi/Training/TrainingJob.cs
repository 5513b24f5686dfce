using System.Text.Json.Serialization;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;

namespace EmotionApi.Training;

/// <summary>Where a training job is in its life. Succeeded, failed and cancelled are final.</summary>
public enum TrainingJobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>How far a run is: epoch and batch of total (both counted from 1), with a time estimate.</summary>
/// <param name="Epoch">The epoch in progress.</param>
/// <param name="Epochs">Epochs planned (early stopping may end the run sooner).</param>
/// <param name="Batch">The last finished batch of <paramref name="Epoch"/>.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Percent">Share of the planned batches done, 0 to 100.</param>
/// <param name="ElapsedSeconds">Time since the current run of the job started.</param>
/// <param name="EstimatedSecondsLeft">From the pace of the batches so far; null until there is a pace.</param>
public sealed record TrainingJobProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double Percent,
    double ElapsedSeconds,
    double? EstimatedSecondsLeft);

/// <summary>
/// The service's durable record of one job, <c>jobs/{id}/job.json</c>. It, not Hangfire's storage, is
/// the source of truth: Hangfire only carries the job id to a worker.
/// </summary>
public sealed record TrainingJob
{
    public required string Id { get; init; }
    public required string DatasetId { get; init; }
    public TrainingJobState State { get; init; }
    /// <summary>What the job is doing or why it stopped, in a few words.</summary>
    public string Stage { get; init; } = "queued";
    /// <summary>The full effective settings: the preset with the request's overrides applied.</summary>
    public required TrainingSettings Settings { get; init; }
    public TrainingJobProgress? Progress { get; init; }
    /// <summary>Finished epochs so far (the whole history once succeeded).</summary>
    public IReadOnlyList<EpochMetrics> History { get; init; } = [];
    public int? BestEpoch { get; init; }
    /// <summary>The test-set evaluation, ROC curve included; present once succeeded.</summary>
    public EvaluationReport? Evaluation { get; init; }
    public double? TrainingSeconds { get; init; }
    public string? Error { get; init; }
    public string? ModelId { get; init; }
    /// <summary>Hangfire's id of the execution that carries this job (changes when the job is queued again).</summary>
    public string? HangfireJobId { get; init; }
    /// <summary>Executions started: more than 1 when the job was resumed after a restart.</summary>
    public int Runs { get; init; }
    public bool CancelRequested { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    [JsonIgnore]
    public bool IsFinished => State is TrainingJobState.Succeeded or TrainingJobState.Failed or TrainingJobState.Cancelled;

    [JsonIgnore]
    public EpochMetrics? LatestEpoch => History.Count == 0 ? null : History[^1];
}
