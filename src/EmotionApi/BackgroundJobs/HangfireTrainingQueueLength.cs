using EmotionApi.Telemetry;
using Hangfire;

namespace EmotionApi.BackgroundJobs;

/// <summary>Executions waiting in Hangfire's training queue, asked of this host's job storage when metrics are collected.</summary>
internal sealed class HangfireTrainingQueueLength(JobStorage storage, ILogger<HangfireTrainingQueueLength> logger) : ITrainingQueueLength
{
    public long? Length()
    {
        try
        {
            return storage.GetMonitoringApi().EnqueuedCount(HangfireTrainingJob.Queue);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A metric is not worth failing a scrape over: the storage's health check reports the outage.
            logger.LogDebug(e, "The training queue's length could not be read");
            return null;
        }
    }
}
