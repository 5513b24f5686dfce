namespace EmotionApi.Telemetry;

/// <summary>Executions waiting in the job system's training queue, for <c>emotionapi.training.queue.length</c> (the job system's adapter provides it).</summary>
public interface ITrainingQueueLength
{
    /// <summary>Executions enqueued and not yet taken by a worker; null when the job storage cannot be asked now.</summary>
    long? Length();
}
