using System.Collections.Concurrent;

namespace EmotionApi.Training;

/// <summary>
/// Keeps one job from being executed twice at once (a re-delivered Hangfire job, a restart that queues a
/// job again while an old execution still runs). The one place to plug in a lock that spans processes.
/// </summary>
public interface IJobExecutionLock
{
    /// <summary>A handle that releases the job when disposed, or null when the job is being executed already.</summary>
    IDisposable? TryAcquire(string jobId);
}

/// <summary>Guards executions within this process: enough while one process runs the training workers.</summary>
public sealed class InProcessJobExecutionLock : IJobExecutionLock
{
    private readonly ConcurrentDictionary<string, byte> running = new(StringComparer.Ordinal);

    public IDisposable? TryAcquire(string jobId) =>
        running.TryAdd(jobId, 0) ? new Release(() => running.TryRemove(jobId, out _)) : null;

    private sealed class Release(Action release) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) release();
        }
    }
}
