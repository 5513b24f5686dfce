using EmotionApi.Infrastructure;
using EmotionApi.Learning.Training;
using Hangfire;

namespace EmotionApi.Training;

/// <summary>
/// Creates, cancels and removes jobs: the record first (the source of truth), then Hangfire, which only
/// carries the job id to a training worker.
/// </summary>
public sealed class TrainingJobQueue(
    TrainingJobStore store, IBackgroundJobClient hangfire, TimeProvider time, ILogger<TrainingJobQueue> logger)
{
    public TrainingJob Submit(string datasetId, TrainingSettings settings)
    {
        var job = new TrainingJob
        {
            Id = TrainingJobStore.NewId(),
            DatasetId = datasetId,
            State = TrainingJobState.Queued,
            Stage = "queued",
            Settings = settings,
            CreatedAt = time.GetUtcNow(),
        };
        store.Create(job);
        return Enqueue(job, "queued");
    }

    /// <summary>Hands a queued (or interrupted) job to Hangfire again and records the new execution's id.</summary>
    public TrainingJob Enqueue(TrainingJob job, string stage)
    {
        string hangfireJobId;
        try
        {
            hangfireJobId = hangfire.Enqueue<TrainingJobRunner>(runner => runner.Run(job.Id, CancellationToken.None));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {JobId} could not be handed to Hangfire", job.Id);
            store.Update(job.Id, current => current with
            {
                State = TrainingJobState.Failed, Stage = "failed", FinishedAt = time.GetUtcNow(),
                Error = "The job could not be queued: the job storage refused it. See the service's log.",
            });
            throw;
        }
        logger.LogInformation("Job {JobId} queued as Hangfire job {HangfireJobId}", job.Id, hangfireJobId);
        // The worker may have started already: only the execution id and a still-queued stage are set here.
        return store.Update(job.Id, current => current with
        {
            HangfireJobId = hangfireJobId,
            Stage = current.State == TrainingJobState.Queued ? stage : current.Stage,
        }) ?? job;
    }

    /// <summary>
    /// Cancels a queued or running job. A queued job is cancelled at once; a running one stops at its next
    /// batch (its worker records the cancellation). Throws a 409 problem for a finished job.
    /// </summary>
    public TrainingJob Cancel(string id)
    {
        var job = store.Find(id) ?? throw ApiProblemException.NotFound("Training job", id);
        if (job.IsFinished)
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Job already finished",
                $"Training job '{id}' is {job.State.ToString().ToLowerInvariant()}: there is nothing to cancel.");

        // The marker first: a worker on any node sees it, whatever happens to the Hangfire job.
        store.MarkCancelRequested(id);
        var cancelledWhileQueued = false;
        var updated = store.Update(id, current =>
        {
            if (current.IsFinished) return current;
            if (current.State == TrainingJobState.Queued)
            {
                cancelledWhileQueued = true;
                return current with
                {
                    State = TrainingJobState.Cancelled, Stage = "cancelled before it started", CancelRequested = true,
                    FinishedAt = time.GetUtcNow(),
                };
            }
            return current with { CancelRequested = true, Stage = "cancelling" };
        }) ?? job;

        if (cancelledWhileQueued) store.DeleteCheckpoint(id); // left by an interrupted earlier run, if any
        // Deleting the Hangfire job takes it off the queue, or fires the running execution's CancellationToken.
        if (updated.HangfireJobId is { } hangfireJobId) hangfire.Delete(hangfireJobId);
        logger.LogInformation("Job {JobId}: cancellation requested ({State})", id, updated.State);
        return updated;
    }

    /// <summary>Deletes a finished job's record (its model, if any, stays). False when there is no such job.</summary>
    public bool Remove(string id)
    {
        var job = store.Find(id);
        if (job is null) return false;
        if (!job.IsFinished)
            throw new InvalidOperationException($"Job {id} is {job.State}; cancel it before removing it.");
        return store.Delete(id);
    }
}
