using System.Collections.Concurrent;

namespace EmotionApi.Training;

/// <summary>
/// Keeps one job from being executed twice at once (a re-delivered Hangfire job, a restart that queues a
/// job again while an old execution still runs, two nodes that both recovered the same job).
/// </summary>
public interface IJobExecutionLock
{
    /// <summary>The job's execution right until disposed, or null when the job is being executed already (here or on another node).</summary>
    IJobExecution? TryAcquire(string jobId);
}

/// <summary>The right to execute one job, held until disposed.</summary>
public interface IJobExecution : IDisposable
{
    /// <summary>
    /// Fires when the right was lost while held (a lock that spans processes can be lost with its database
    /// session, and another node may then take the job over): the execution must stop without recording anything.
    /// </summary>
    CancellationToken Lost { get; }
}

/// <summary>Guards executions within this process: enough while one process runs the training workers.</summary>
public sealed class InProcessJobExecutionLock : IJobExecutionLock
{
    private readonly ConcurrentDictionary<string, byte> running = new(StringComparer.Ordinal);

    public IJobExecution? TryAcquire(string jobId) =>
        running.TryAdd(jobId, 0) ? new Execution(() => running.TryRemove(jobId, out _)) : null;

    private sealed class Execution(Action release) : IJobExecution
    {
        private int released;

        // Nothing outside this process can take an in-process right away.
        public CancellationToken Lost => CancellationToken.None;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) release();
        }
    }
}
