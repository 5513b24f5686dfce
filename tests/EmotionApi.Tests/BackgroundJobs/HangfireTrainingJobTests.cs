using EmotionApi.BackgroundJobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EmotionApi.Tests.BackgroundJobs;

public class HangfireTrainingJobTests
{
    [Fact]
    public void A_delivery_that_cannot_reach_the_execution_lock_checks_back_later_instead_of_failing()
    {
        var hangfire = new RecordingJobClient();
        // The runner is never reached: without the execution right nothing may run.
        var job = new HangfireTrainingJob(
            runner: null!, new UnreachableLock(), hangfire, Options.Create(new HangfireOptions()), NullLogger<HangfireTrainingJob>.Instance);

        var before = DateTime.UtcNow;
        job.Run("0123456789ab", CancellationToken.None);
        var after = DateTime.UtcNow;

        var (scheduled, state) = Assert.Single(hangfire.Created);
        Assert.Equal(nameof(HangfireTrainingJob.Run), scheduled.Method.Name);
        Assert.Equal("0123456789ab", scheduled.Args[0]);
        var at = Assert.IsType<ScheduledState>(state).EnqueueAt;
        // Bounded by the clock around the call, not by a guess at how long it takes on a loaded machine.
        Assert.InRange(at, before + HangfireTrainingJob.UnreachableLockRetryDelay, after + HangfireTrainingJob.UnreachableLockRetryDelay);
    }

    private sealed class UnreachableLock : IJobExecutionLock
    {
        public IJobExecution? TryAcquire(string jobId) => throw new NpgsqlException("Name or service not known");
    }

    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<(Job Job, IState State)> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            Created.Add((job, state));
            return Created.Count.ToString();
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
