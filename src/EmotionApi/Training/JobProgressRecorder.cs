using EmotionApi.Learning.Training;

namespace EmotionApi.Training;

/// <summary>
/// Writes a running job's stage, progress and finished epochs into its record, and watches the record's
/// cancellation marker. Called on the training thread: batch progress is written at most once per
/// interval, epochs always.
/// </summary>
public sealed class JobProgressRecorder : ITrainingObserver
{
    private readonly TrainingJobStore store;
    private readonly string jobId;
    private readonly TimeProvider time;
    private readonly TimeSpan progressInterval;
    private readonly TimeSpan cancellationCheckInterval;
    private readonly CancellationTokenSource cancellation;
    private readonly ILogger logger;
    private readonly long runStarted;
    private long? lastProgressWrite;
    private long lastCancellationCheck;
    // The pace is measured from the first batch this run saw (a resumed run starts part-way through).
    private long? firstBatchAt;
    private double fractionAtFirstBatch;
    private TrainingJobProgress? latest;

    public JobProgressRecorder(
        TrainingJobStore store, string jobId, TimeProvider time, TrainingJobsOptions options,
        CancellationTokenSource cancellation, ILogger logger)
    {
        this.store = store;
        this.jobId = jobId;
        this.time = time;
        this.cancellation = cancellation;
        this.logger = logger;
        progressInterval = TimeSpan.FromSeconds(options.ProgressIntervalSeconds);
        cancellationCheckInterval = TimeSpan.FromSeconds(options.CancellationCheckSeconds);
        runStarted = lastCancellationCheck = time.GetTimestamp();
    }

    public void OnStage(string stage) => Persist(job => job.AtStage(stage));

    public void OnBatch(BatchProgress progress)
    {
        var now = time.GetTimestamp();
        var batches = Math.Max(1, progress.BatchesPerEpoch);
        var done = Math.Clamp(((progress.Epoch - 1) * (double)batches + progress.Batch) / (Math.Max(1, progress.Epochs) * (double)batches), 0, 1);
        if (firstBatchAt is null)
        {
            firstBatchAt = now;
            fractionAtFirstBatch = done;
        }

        double? secondsLeft = null;
        var paceSeconds = time.GetElapsedTime(firstBatchAt.Value, now).TotalSeconds;
        if (done > fractionAtFirstBatch && paceSeconds > 0)
            secondsLeft = (1 - done) * paceSeconds / (done - fractionAtFirstBatch);

        latest = new TrainingJobProgress(
            progress.Epoch, progress.Epochs, progress.Batch, progress.BatchesPerEpoch,
            Math.Round(done * 100, 2), Math.Round(time.GetElapsedTime(runStarted, now).TotalSeconds, 2),
            secondsLeft is { } left ? Math.Round(left, 1) : null);

        if (lastProgressWrite is not { } written || time.GetElapsedTime(written, now) >= progressInterval)
        {
            lastProgressWrite = now;
            var snapshot = latest;
            Persist(job => job.WithProgress(snapshot));
        }
        CheckCancellation(now);
    }

    public void OnEpoch(EpochMetrics metrics)
    {
        var snapshot = latest;
        Persist(job => job.WithEpoch(metrics, snapshot));
        var now = time.GetTimestamp();
        lastProgressWrite = now;
        CheckCancellation(now);
    }

    private void CheckCancellation(long now)
    {
        if (time.GetElapsedTime(lastCancellationCheck, now) < cancellationCheckInterval) return;
        lastCancellationCheck = now;
        if (store.IsCancelRequested(jobId) && !cancellation.IsCancellationRequested)
        {
            logger.LogInformation("Job {JobId}: cancellation requested through its record", jobId);
            cancellation.Cancel();
        }
    }

    private void Persist(Func<TrainingJob, TrainingJob> change)
    {
        try
        {
            // Only while running: a record that finished or was queued again meanwhile takes no more progress from this run.
            store.Update(jobId, job => job.State == TrainingJobState.Running ? change(job) : job);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Shared.InsufficientStorageException)
        {
            // Progress is for people watching; a failed write must not fail the run (the outcome is written at the end).
            logger.LogWarning(e, "Job {JobId}: could not record progress", jobId);
        }
    }
}
