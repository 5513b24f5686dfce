using System.Runtime.CompilerServices;
using EmotionApi.Learning;
using EmotionApi.Learning.Networks;

namespace EmotionApi.Learning.Tests.Networks;

/// <summary>
/// The test process configures torch as the service does, before any test touches it: OpenMP threads
/// that sleep while waiting keep the suite fast on a machine busy with other work (docs/performance.md).
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
            // TorchRuntimeTests report why torch does not load; every other test would fail on it anyway.
        }
    }
}
