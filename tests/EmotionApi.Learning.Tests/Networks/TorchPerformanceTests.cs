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
    public void Reports_that_the_wait_policy_comes_too_late_once_torch_is_loaded()
    {
        using (torch.ones(1)) { }
        var settings = TorchPerformance.Configure();
        // The test host loaded torch before: OpenMP has read its policy, which only the environment can have chosen.
        Assert.Equal(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null, settings.WaitPolicyApplied);
    }
}
