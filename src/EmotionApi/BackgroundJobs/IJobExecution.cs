namespace EmotionApi.BackgroundJobs;

/// <summary>The right to execute one job, held until disposed.</summary>
public interface IJobExecution : IDisposable
{
    /// <summary>
    /// Fires when the right was lost while held (a lock that spans processes can be lost with its database
    /// session, and another node may then take the job over): the execution must stop without recording anything.
    /// </summary>
    CancellationToken Lost { get; }
}
