using EmotionApi.Training;
using Hangfire;
using Microsoft.Extensions.Options;

namespace EmotionApi.BackgroundJobs;

/// <summary>
/// The Hangfire job that carries a training job to a worker: it takes the job's execution right (never two
/// executions of one job at once, on any node) and hands the run to <see cref="TrainingJobRunner"/>. A run blocks
/// its worker thread; the training queue has dedicated workers.
/// </summary>
public sealed class HangfireTrainingJob(
    TrainingJobRunner runner,
    IJobExecutionLock executionLock,
    IBackgroundJobClient hangfire,
    IOptions<HangfireOptions> options,
    ILogger<HangfireTrainingJob> logger)
{
    /// <summary>The Hangfire queue that only training workers serve.</summary>
    public const string Queue = "training";

    /// <summary>When the execution right could not be asked for (its database unreachable for a moment), the delivery checks back after this.</summary>
    public static readonly TimeSpan UnreachableLockRetryDelay = TimeSpan.FromSeconds(15);

    /// <param name="jobId">The id of the job's record.</param>
    /// <param name="cancellationToken">Hangfire's: fires when the Hangfire job is deleted (cancel) or the server shuts down.</param>
    [Queue(Queue)]
    // A training failure is deterministic (bad data, bad settings): retrying would fail the same way, slowly.
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Training job {0}")]
    public void Run(string jobId, CancellationToken cancellationToken)
    {
        IJobExecution? execution;
        try
        {
            execution = executionLock.TryAcquire(jobId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A network blip or a restarting database, not a fault of the job: its record is still queued and, with
            // retries off, nothing else would deliver it again. Check back soon rather than fail the delivery.
            hangfire.Schedule<HangfireTrainingJob>(job => job.Run(jobId, CancellationToken.None), UnreachableLockRetryDelay);
            logger.LogWarning(e, "Job {JobId}: its execution right could not be asked for; this delivery checks back in {CheckBack}",
                jobId, UnreachableLockRetryDelay);
            return;
        }

        using var _ = execution;
        if (execution is null)
        {
            // Another execution holds the job (on this node or another). Should that node die later, nothing would
            // deliver the job again: check back after the time in which a dead worker's job is handed on.
            var checkBack = options.Value.InvisibilityTimeout;
            hangfire.Schedule<HangfireTrainingJob>(job => job.Run(jobId, CancellationToken.None), checkBack);
            logger.LogWarning("Job {JobId} is being executed already; this delivery does nothing and checks back in {CheckBack}", jobId, checkBack);
            return;
        }
        // A failure or a shutdown propagates: Hangfire shows the first as failed, and delivers the second again.
        runner.Run(jobId, cancellationToken, execution.Lost);
    }
}
