using EmotionApi.Training;
using Hangfire;

namespace EmotionApi.BackgroundJobs;

/// <summary>Training jobs through Hangfire: an execution is a <see cref="HangfireTrainingJob"/> on the training queue.</summary>
public sealed class HangfireTrainingDispatcher(IBackgroundJobClient hangfire, ILogger<HangfireTrainingDispatcher> logger)
    : ITrainingJobDispatcher
{
    public string Dispatch(string jobId)
    {
        var hangfireJobId = hangfire.Enqueue<HangfireTrainingJob>(job => job.Run(jobId, CancellationToken.None));
        logger.LogInformation("Job {JobId} queued as Hangfire job {HangfireJobId}", jobId, hangfireJobId);
        return hangfireJobId;
    }

    /// <summary>Deleting the Hangfire job takes it off the queue, or fires the running execution's CancellationToken.</summary>
    public void Withdraw(string executionId) => hangfire.Delete(executionId);
}
