using EmotionApi.Learning.Training;
using EmotionApi.Shared;
using EmotionApi.Telemetry;
using Microsoft.Extensions.Options;

namespace EmotionApi.Training;

/// <summary>
/// Creates, queues again, cancels and removes jobs: the record first (the source of truth), then the dispatcher,
/// which only carries the job id to a training worker.
/// </summary>
public sealed class TrainingJobQueue(
    TrainingJobStore store, ITrainingJobDispatcher dispatcher, IOptions<TrainingJobsOptions> options, TimeProvider time,
    ILogger<TrainingJobQueue> logger)
{
    // Counting a key's unfinished jobs and creating the next is one step within this process.
    private readonly Lock submitting = new();

    /// <summary>Creates a job and hands it to a worker; <paramref name="createdBy"/> names the API key that asked (null: none).</summary>
    /// <exception cref="QuotaExceededException">The key has <see cref="TrainingJobsOptions.MaxUnfinishedJobsPerKey"/> unfinished jobs already.</exception>
    public TrainingJob Submit(string datasetId, TrainingSettings settings, string? createdBy = null)
    {
        TrainingJob job;
        lock (submitting)
        {
            EnsureUnderQuota(createdBy);
            job = TrainingJob.Queue(RecordIds.NewJobId(), datasetId, settings, time.GetUtcNow(), createdBy, TraceParent.OfCurrent());
            store.Create(job);
        }
        return Dispatch(job, TrainingJobStages.Queued);
    }

    private void EnsureUnderQuota(string? createdBy)
    {
        var limit = options.Value.MaxUnfinishedJobsPerKey;
        if (createdBy is null || limit == 0) return;
        var unfinished = store.List().Count(job => !job.IsFinished && job.CreatedBy == createdBy);
        if (unfinished < limit) return;
        throw new QuotaExceededException("Too many unfinished jobs",
            $"The key '{createdBy}' has {unfinished} queued or running training job{(unfinished == 1 ? "" : "s")}; at most {limit} " +
            $"{(limit == 1 ? "is" : "are")} allowed at once (TrainingJobs:MaxUnfinishedJobsPerKey). Wait for one to finish, or cancel one.");
    }

    /// <summary>Queues an unfinished job again (its execution was lost: a stop, a crash) with why; it resumes from its checkpoint.</summary>
    public TrainingJob Resubmit(TrainingJob job, string stage)
    {
        var requeued = store.Update(job.Id, current => current.IsFinished ? current : current.Requeue(stage)) ?? job;
        return requeued.IsFinished ? requeued : Dispatch(requeued, stage);
    }

    /// <summary>
    /// Cancels a queued or running job. A queued job is cancelled at once; a running one stops at its next
    /// batch (its worker records the cancellation).
    /// </summary>
    /// <exception cref="NotFoundException">There is no such job.</exception>
    /// <exception cref="ConflictException">The job has finished already.</exception>
    public TrainingJob Cancel(string id)
    {
        var job = store.Find(id) ?? throw NotFoundException.For("Training job", id);
        if (job.IsFinished)
            throw new ConflictException("Job already finished",
                $"Training job '{id}' is {job.State.ToString().ToLowerInvariant()}: there is nothing to cancel.");

        // The marker first: a worker on any node sees it, whatever happens to the execution.
        store.MarkCancelRequested(id);
        var cancelledWhileQueued = false;
        var updated = store.Update(id, current =>
        {
            if (current.IsFinished) return current;
            cancelledWhileQueued = current.State == TrainingJobState.Queued;
            return current.RequestCancellation(time.GetUtcNow());
        }) ?? job;

        if (cancelledWhileQueued) store.DeleteCheckpoint(id); // left by an interrupted earlier run, if any
        // Withdrawing the execution takes it off the queue, or fires the running execution's cancellation token.
        if (updated.ExecutionId is { } executionId) dispatcher.Withdraw(executionId);
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

    private TrainingJob Dispatch(TrainingJob job, string stage)
    {
        string executionId;
        try
        {
            executionId = dispatcher.Dispatch(job.Id);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {JobId} could not be handed to a training worker", job.Id);
            store.Update(job.Id, current => current.IsFinished ? current
                : current.Fail("The job could not be queued: the job storage refused it. See the service's log.", time.GetUtcNow()));
            throw;
        }
        return store.Update(job.Id, current => current.Dispatched(executionId, stage)) ?? job;
    }
}
