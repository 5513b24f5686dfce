namespace EmotionApi.Training;

/// <summary>
/// Carries a job's id to a training worker (on this node or another) and takes it back. The job system behind it
/// holds nothing else: the job's record stays the source of truth.
/// </summary>
public interface ITrainingJobDispatcher
{
    /// <summary>Hands the job to a worker; returns the id of that execution.</summary>
    string Dispatch(string jobId);

    /// <summary>Takes an execution off the queue, or makes a running one stop (its cancellation token fires).</summary>
    void Withdraw(string executionId);
}
