using EmotionApi.Datasets;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.IO;
using EmotionApi.Learning.Training;
using EmotionApi.Models;
using Hangfire;
using Microsoft.Extensions.Options;

namespace EmotionApi.Training;

/// <summary>
/// The Hangfire job: runs one training job to its end and records every step in the job's record.
/// A run blocks its worker thread (the training queue has dedicated workers) and calls the synchronous
/// pipeline from it.
/// </summary>
public sealed class TrainingJobRunner(
    TrainingJobStore store,
    DatasetStore datasets,
    ModelRegistry models,
    IJobExecutionLock executionLock,
    IBackgroundJobClient hangfire,
    IOptions<HangfireOptions> hangfireOptions,
    IHostApplicationLifetime lifetime,
    ImageLimits imageLimits,
    IOptions<TrainingJobsOptions> options,
    TimeProvider time,
    ILogger<TrainingJobRunner> logger)
{
    /// <param name="jobId">The id of the job's record.</param>
    /// <param name="cancellationToken">Hangfire's: fires when the Hangfire job is deleted (cancel) or the server shuts down.</param>
    [Queue(TrainingJobsOptions.Queue)]
    // A training failure is deterministic (bad data, bad settings): retrying would fail the same way, slowly.
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Training job {0}")]
    public void Run(string jobId, CancellationToken cancellationToken)
    {
        using var execution = executionLock.TryAcquire(jobId);
        if (execution is null)
        {
            // Another execution holds the job (on this node or another). Should that node die later, nothing would
            // deliver the job again: check back after the time in which a dead worker's job is handed on.
            var checkBack = hangfireOptions.Value.InvisibilityTimeout;
            hangfire.Schedule<TrainingJobRunner>(runner => runner.Run(jobId, CancellationToken.None), checkBack);
            logger.LogWarning("Job {JobId} is being executed already; this delivery does nothing and checks back in {CheckBack}", jobId, checkBack);
            return;
        }

        if (Start(jobId) is not { } job) return;

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, execution.Lost);
        try
        {
            var images = datasets.GetImages(job.DatasetId)
                         ?? throw new TrainingDataException($"Dataset '{job.DatasetId}' no longer exists.");
            var recorder = new JobProgressRecorder(store, jobId, time, options.Value, cancellation, logger);
            var observer = new ResumeDetector(recorder, epoch =>
            {
                logger.LogInformation("Job {JobId} resumed from its checkpoint after epoch {Epoch} of {Epochs}", jobId, epoch, job.Settings.Epochs);
                recorder.OnStage($"{TrainingPipeline.TrainingStage} (resumed after epoch {epoch})");
            });
            var outcome = new TrainingPipeline().Run(
                images, job.Settings, observer, store.CheckpointDirectory(jobId), imageLimits, cancellation.Token);

            using (outcome.Model)
            {
                // A cancellation that arrives after the last epoch still wins: no model is registered.
                cancellation.Token.ThrowIfCancellationRequested();
                store.Update(jobId, current => current with { Stage = "saving the model" });
                var model = models.Register(job, outcome);
                Succeed(jobId, outcome, model);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            if (execution.Lost.IsCancellationRequested)
            {
                // The node that took the job over owns its record now: nothing is written from here.
                logger.LogWarning("Job {JobId}: this execution lost the job to another node and stopped", jobId);
                return;
            }
            if (!store.IsCancelRequested(jobId) && lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // Not the user's doing: the process is stopping. The job stays queued, and its checkpoint
                // lets the next execution resume after the last finished epoch.
                store.Update(jobId, current => current.IsFinished ? current : current with
                {
                    State = TrainingJobState.Queued, Stage = "interrupted by a shutdown; resumes when a worker picks it up again",
                });
                logger.LogInformation("Job {JobId} interrupted by shutdown; it resumes from its checkpoint", jobId);
                throw; // Hangfire re-queues an execution aborted by shutdown (in a storage that outlives the process)
            }
            Finish(jobId, TrainingJobState.Cancelled, "cancelled", error: null);
            logger.LogInformation("Job {JobId} cancelled", jobId);
        }
        catch (Exception e)
        {
            var message = e is TrainingDataException or ArgumentException or ImageRejectedException
                ? e.Message
                : $"{e.GetType().Name}: {e.Message}";
            Finish(jobId, TrainingJobState.Failed, "failed", message);
            logger.LogError(e, "Job {JobId} failed", jobId);
            throw; // shown as failed in the Hangfire dashboard; [AutomaticRetry(Attempts = 0)] stops any retry
        }
    }

    /// <summary>Moves the record to running; null when there is nothing to run (finished, cancelled, or deleted).</summary>
    private TrainingJob? Start(string jobId)
    {
        var started = false;
        var job = store.Update(jobId, current =>
        {
            if (current.IsFinished) return current;
            if (current.CancelRequested || store.IsCancelRequested(jobId))
            {
                return current with
                {
                    State = TrainingJobState.Cancelled, Stage = "cancelled before it started", CancelRequested = true,
                    FinishedAt = time.GetUtcNow(),
                };
            }
            started = true;
            return current with
            {
                State = TrainingJobState.Running, Stage = "starting", StartedAt = time.GetUtcNow(), Runs = current.Runs + 1, Error = null,
            };
        });

        if (job is null) logger.LogWarning("Job {JobId} has no record; nothing to run", jobId);
        else if (!started) logger.LogInformation("Job {JobId} is {State}; nothing to run", jobId, job.State);
        else logger.LogInformation("Job {JobId} started (run {Run}) on dataset {DatasetId} with preset {Preset}",
            jobId, job.Runs, job.DatasetId, job.Settings.Preset);
        return started ? job : null;
    }

    private void Succeed(string jobId, TrainingOutcome outcome, RegisteredModel model)
    {
        AtomicFile.WriteJson(store.SplitPath(jobId), outcome.Split, RecordJson.Options);
        store.Update(jobId, current => current with
        {
            State = TrainingJobState.Succeeded,
            Stage = "succeeded",
            History = outcome.History,
            BestEpoch = outcome.BestEpoch,
            Evaluation = outcome.Test,
            TrainingSeconds = outcome.Seconds,
            ModelId = model.Id,
            Progress = current.Progress is { } progress ? progress with { Percent = 100, EstimatedSecondsLeft = 0 } : null,
            FinishedAt = time.GetUtcNow(),
        });
        // The model is safe under models/: the checkpoint has done its job.
        store.DeleteCheckpoint(jobId);
        logger.LogInformation("Job {JobId} succeeded in {Seconds:F1} s: model {ModelId}", jobId, outcome.Seconds, model.Id);
    }

    private void Finish(string jobId, TrainingJobState state, string stage, string? error)
    {
        store.Update(jobId, current => current with
        {
            State = state, Stage = stage, Error = error, FinishedAt = time.GetUtcNow(),
            Progress = current.Progress is { } progress ? progress with { EstimatedSecondsLeft = null } : null,
        });
        store.DeleteCheckpoint(jobId);
    }
}
