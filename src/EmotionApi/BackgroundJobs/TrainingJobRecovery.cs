using EmotionApi.Training;
using Hangfire;
using Hangfire.States;

namespace EmotionApi.BackgroundJobs;

/// <summary>
/// On start: a job that the record shows queued or running, with no live Hangfire execution behind it,
/// was cut off by a stop or a crash (the embedded storage dies with the process). It is queued again and
/// resumes from its last per-epoch checkpoint; a job whose cancellation was requested is marked cancelled.
/// </summary>
public sealed class TrainingJobRecovery(
    TrainingJobStore store, TrainingJobQueue queue, JobStorage hangfireStorage, TimeProvider time, ILogger<TrainingJobRecovery> logger)
    : IHostedService
{
    private static readonly HashSet<string> LiveStates = new(StringComparer.OrdinalIgnoreCase)
    {
        EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName, AwaitingState.StateName,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Decided for every job before any is queued again: a new execution id could match an old record's.
        var orphans = store.List().Where(job => !job.IsFinished && !HasLiveExecution(job)).ToList();
        foreach (var job in orphans)
        {
            cancellationToken.ThrowIfCancellationRequested();

            if (job.CancelRequested || store.IsCancelRequested(job.Id))
            {
                store.Update(job.Id, current => current.IsFinished ? current : current.Cancel(time.GetUtcNow()));
                store.DeleteCheckpoint(job.Id);
                logger.LogInformation("Job {JobId} was being cancelled when the service stopped: marked cancelled", job.Id);
                continue;
            }

            queue.Resubmit(job, TrainingJobStages.QueuedAfterRestart(job.State));
            logger.LogWarning("Job {JobId} was {State} when the service stopped: queued again", job.Id, job.State);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True when the job storage still holds a live execution of the job (a storage shared by several processes).</summary>
    private bool HasLiveExecution(TrainingJob job)
    {
        if (job.ExecutionId is not { } hangfireJobId) return false;
        try
        {
            using var connection = hangfireStorage.GetConnection();
            return connection.GetJobData(hangfireJobId)?.State is { } state && LiveStates.Contains(state);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not read Hangfire job {HangfireJobId} of job {JobId}; queuing it again", hangfireJobId, job.Id);
            return false;
        }
    }
}
