using EmotionApi.Learning.Networks;
using TorchSharp;

namespace EmotionApi.Learning.Tests.Networks;

public class TorchPerformanceTests
{
    [Fact]
    public void Uses_as_many_intra_op_threads_as_the_process_has_cpus()
    {
        var settings = TorchPerformance.Configure();
        Assert.Equal(Environment.ProcessorCount, settings.Threads);
        Assert.Equal(Environment.ProcessorCount, torch.get_num_threads());
    }

    [Fact]
    public void Openmp_threads_of_this_process_sleep_while_they_wait()
    {
        // The module initializer configured torch before any test loaded it; a later call reports what is in effect.
        var settings = TorchPerformance.Configure();
        Assert.True(settings.WaitPolicyApplied);
        Assert.Equal(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "PASSIVE", settings.WaitPolicy);
    }
}
