using System.Runtime.CompilerServices;
using EmotionApi.Learning;
using EmotionApi.Learning.Networks;

namespace EmotionApi.Tests.Shared;

/// <summary>
/// Compiled into every test assembly (linked from tests/Shared). Configures torch as the service does
/// (passive OpenMP waits, threads = CPUs) before any test or test host touches it: libtorch's OpenMP reads
/// its wait policy only once, when it loads (docs/performance.md).
/// </summary>
internal static class TestProcessTorchSettings
{
    [ModuleInitializer]
    internal static void Configure()
    {
        try
        {
            TorchPerformance.Configure();
        }
        catch (TorchUnavailableException)
        {
            // TorchRuntimeTests and the hosts report the one-line reason; tests that need torch fail on it.
        }
    }
}
