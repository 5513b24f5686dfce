using EmotionApi.Datasets;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.IO;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using EmotionApi.Models;
using EmotionApi.Shared;
using EmotionApi.Telemetry;
using Microsoft.Extensions.Options;

namespace EmotionApi.Training;

/// <summary>
/// Runs one training job to its end and records every step in the job's record. The caller holds the job's
/// execution right (one execution at a time) and gives the run a thread of its own: the pipeline is synchronous.
/// </summary>
public sealed class TrainingJobRunner(
    TrainingJobStore store,
    DatasetStore datasets,
    ModelRegistry models,
    IHostApplicationLifetime lifetime,
    ImageLimits imageLimits,
    TrainingTelemetry telemetry,
    IOptions<TrainingJobsOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<TrainingJobRunner> logger)
{
    /// <param name="jobId">The id of the job's record.</param>
    /// <param name="cancellationToken">Fires when the job is cancelled or this process stops.</param>
    /// <param name="executionLost">
    /// Fires when this execution lost its right to the job (another node took it over): the run stops without
    /// recording anything.
    /// </param>
    /// <exception cref="OperationCanceledException">
    /// The process is stopping: the job is queued again in its record and resumes from its checkpoint when the job
    /// system delivers it again.
    /// </exception>
    /// <exception cref="Exception">The run failed; the record says why.</exception>
    public void Run(string jobId, CancellationToken cancellationToken, CancellationToken executionLost)
    {
        if (Start(jobId) is not { } job) return;

        using var run = TrainingTelemetry.StartJob(job.Id, job.Settings.Preset, job.Settings.Network, job.Runs, job.QueuedBy);
        var started = time.GetTimestamp();
        void Ended(string state, Exception? error = null) =>
            telemetry.RecordJobEnd(run, state, job.Settings.Preset, time.GetElapsedTime(started), error);

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, executionLost);
        try
        {
            // Before the run's first torch call: the OpenMP threads it starts inherit the niceness.
            if (!TorchPerformance.ConfigureCurrentThread(options.Value.Threads, options.Value.Niceness))
                logger.LogWarning("Job {JobId}: could not lower the training thread's priority to niceness {Niceness}", jobId, options.Value.Niceness);
            var images = datasets.GetImages(job.DatasetId)
                         ?? throw new TrainingDataException($"Dataset '{job.DatasetId}' no longer exists.");
            var recorder = new JobProgressRecorder(store, jobId, time, options.Value, cancellation, logger);
            var observer = new EpochTelemetryObserver(new ResumeDetector(recorder, epoch =>
            {
                logger.LogInformation("Job {JobId} resumed from its checkpoint after epoch {Epoch} of {Epochs}", jobId, epoch, job.Settings.Epochs);
                recorder.OnStage(TrainingJobStages.ResumedAfterEpoch(epoch));
            }), telemetry, run, job.Settings);
            // Prepared images stream from the dataset's cache: memory holds a few batches, a later job on the same
            // dataset and size decodes nothing.
            var preparedImages = new PreparedImageCache(datasets.PreparedImagesFolder(job.DatasetId)
                                                        ?? throw new TrainingDataException($"'{job.DatasetId}' is no dataset id."))
            {
                // The reserve uploads keep (Storage:MinFreeMegabytes) is for checkpoints and models: a cache may not take it.
                KeepFreeBytes = storage.Value.MinFreeBytes,
            };
            var outcome = new TrainingPipeline(preparedImages).Run(
                images, job.Settings, observer, store.CheckpointDirectory(jobId), imageLimits, cancellation.Token);

            using (outcome.Model)
            {
                // A cancellation that arrives after the last epoch still wins: no model is registered.
                cancellation.Token.ThrowIfCancellationRequested();
                store.Update(jobId, current => current.AtStage(TrainingJobStages.SavingModel));
                // Every write but the record's before the registration: a model in view for a job that then failed
                // (a disk the model just filled) would become the default with nothing to correct it.
                AtomicFile.WriteJson(store.SplitPath(jobId), outcome.Split, RecordJson.Options);
                var model = models.Register(job.Id, job.DatasetId, job.Settings, outcome);
                try
                {
                    store.Update(jobId, current => current.Succeed(outcome, model.Id, time.GetUtcNow()));
                }
                catch
                {
                    models.Delete(model.Id);
                    throw;
                }
                Succeeded(jobId, outcome, model.Id);
                Ended("succeeded");
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            if (executionLost.IsCancellationRequested)
            {
                // The node that took the job over owns its record now: nothing is written from here.
                logger.LogWarning("Job {JobId}: this execution lost the job to another node and stopped", jobId);
                Ended("lost");
                return;
            }
            if (!store.IsCancelRequested(jobId) && lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // Not the user's doing: the process is stopping. The job stays queued, and its checkpoint
                // lets the next execution resume after the last finished epoch.
                store.Update(jobId, current => current.IsFinished ? current : current.Requeue(TrainingJobStages.InterruptedByShutdown));
                logger.LogInformation("Job {JobId} interrupted by shutdown; it resumes from its checkpoint", jobId);
                Ended("interrupted");
                throw; // the job system delivers an execution aborted by a shutdown again (a storage that outlives the process)
            }
            Finish(jobId, current => current.Cancel(time.GetUtcNow()));
            logger.LogInformation("Job {JobId} cancelled", jobId);
            Ended("cancelled");
        }
        catch (Exception e)
        {
            var message = e switch
            {
                TrainingDataException or ArgumentException or ImageRejectedException or ServiceException => e.Message,
                // The library's writes (prepared images, checkpoint) and the model's: Finish gives the room back.
                _ when DiskSpace.IsExhausted(e) => InsufficientStorageException.NoRoomFor("this run's files (prepared images, checkpoint, model)", e).Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            Finish(jobId, current => current.Fail(message, time.GetUtcNow()));
            logger.LogError(e, "Job {JobId} failed", jobId);
            Ended("failed", e);
            throw; // the job system shows it failed (and must not retry it: a failure is deterministic)
        }
    }

    /// <summary>Moves the record to running; null when there is nothing to run (finished, cancelled, or deleted).</summary>
    private TrainingJob? Start(string jobId)
    {
        var started = false;
        var job = store.Update(jobId, current =>
        {
            if (current.IsFinished) return current;
            if (current.CancelRequested || store.IsCancelRequested(jobId)) return current.Cancel(time.GetUtcNow());
            started = true;
            return current.Start(time.GetUtcNow());
        });

        if (job is null) logger.LogWarning("Job {JobId} has no record; nothing to run", jobId);
        else if (!started) logger.LogInformation("Job {JobId} is {State}; nothing to run", jobId, job.State);
        else logger.LogInformation("Job {JobId} started (run {Run}) on dataset {DatasetId} with preset {Preset}",
            jobId, job.Runs, job.DatasetId, job.Settings.Preset);
        return started ? job : null;
    }

    private void Succeeded(string jobId, TrainingOutcome outcome, string modelId)
    {
        // The model is safe under models/: the checkpoint has done its job.
        store.DeleteCheckpoint(jobId);
        logger.LogInformation("Job {JobId} succeeded in {Seconds:F1} s: model {ModelId}", jobId, outcome.Seconds, modelId);
    }

    private void Finish(string jobId, Func<TrainingJob, TrainingJob> end)
    {
        // The checkpoint first: on a full disk its room is what lets the record say why the job ended.
        store.DeleteCheckpoint(jobId);
        store.Update(jobId, current => current.IsFinished ? current : end(current));
    }
}
