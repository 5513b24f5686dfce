using EmotionApi.BackgroundJobs;
using Hangfire.Common;
using Hangfire.Storage;

namespace EmotionApi.Tests.BackgroundJobs;

public class HangfireSetupTests
{
    [Fact]
    public void A_training_job_queued_by_the_previous_version_runs_as_today_s_hangfire_training_job()
    {
        // Process-wide, as every host of the service sets them (so setting them here changes nothing for other tests).
        TypeHelper.CurrentTypeSerializer = TypeHelper.SimpleAssemblyTypeSerializer;
        TypeHelper.CurrentTypeResolver = HangfireSetup.ResolveType;
        // How Hangfire stores an execution, with the type the previous version queued.
        var today = InvocationData.SerializeJob(Job.FromExpression<HangfireTrainingJob>(job => job.Run("0123456789ab", CancellationToken.None)));
        Assert.Equal("EmotionApi.BackgroundJobs.HangfireTrainingJob, EmotionApi", today.Type);
        var queuedBefore = new InvocationData(HangfireSetup.PreviousTrainingJobTypeName, today.Method, today.ParameterTypes, today.Arguments);

        var job = queuedBefore.DeserializeJob();

        Assert.Equal(typeof(HangfireTrainingJob), job.Type);
        Assert.Equal(typeof(HangfireTrainingJob).GetMethod(nameof(HangfireTrainingJob.Run)), job.Method);
        Assert.Equal("0123456789ab", job.Args[0]);
        Assert.Equal(typeof(string), HangfireSetup.ResolveType("System.String, mscorlib"));
    }
}
