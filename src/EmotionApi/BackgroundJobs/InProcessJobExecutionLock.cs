using System.Collections.Concurrent;

namespace EmotionApi.BackgroundJobs;

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
