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

    [Fact]
    public void A_thread_sets_its_own_torch_threads_and_niceness_and_leaves_other_threads_theirs()
    {
        int? before = null, during = null, after = null, niceness = null;
        using var configured = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var other = new Thread(() =>
        {
            TorchPerformance.ConfigureCurrentThread(2);
            before = torch.get_num_threads();
            configured.Set();
            release.Wait();
            after = torch.get_num_threads();
        });
        other.Start();
        configured.Wait();

        var probe = new Thread(() =>
        {
            Assert.True(TorchPerformance.ConfigureCurrentThread(1, niceness: 7));
            during = torch.get_num_threads();
            if (OperatingSystem.IsLinux()) niceness = int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(')')[1].Split(' ')[17]);
        });
        probe.Start();
        probe.Join();
        release.Set();
        other.Join();
        // A thread that has not used torch yet starts with the count set last: put the process-wide one back.
        var reset = new Thread(() => TorchPerformance.ConfigureCurrentThread(null));
        reset.Start();
        reset.Join();

        Assert.Equal(1, during);
        Assert.Equal(2, before);
        Assert.Equal(2, after);
        if (OperatingSystem.IsLinux()) Assert.Equal(7, niceness);
    }
}
