using System.Runtime.InteropServices;
using TorchSharp;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// Process-wide torch settings that decide training speed on a small shared CPU machine
/// (docs/performance.md). Call once at start-up, before anything else touches torch.
/// </summary>
public static class TorchPerformance
{
    private const string WaitPolicyVariable = "OMP_WAIT_POLICY";
    private const string PassiveWaitPolicy = "PASSIVE";
    private static readonly object Gate = new();

    /// <summary>
    /// 1. OpenMP threads sleep instead of spinning while they wait (OMP_WAIT_POLICY=PASSIVE, unless the
    ///    environment already sets a policy). With the default spinning, two threads on two cores that
    ///    something else also uses (a build, a prediction, a second job) lose their time slices to each
    ///    other's spinning, and a small network's step takes many times longer (docs/performance.md).
    ///    libtorch's OpenMP reads the variable once, when torch loads, so this must run first.
    /// 2. torch's intra-op thread count (global to the process): <paramref name="threads"/>, by default the
    ///    CPUs this process may use. .NET's count honours the affinity mask and a container's CPU quota;
    ///    OpenMP's default counts the host's cores, which under a quota (docker --cpus 2 on a large host)
    ///    oversubscribes it many times over.
    /// </summary>
    public static TorchPerformanceSettings Configure(int? threads = null)
    {
        var wanted = threads ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(wanted, 1, nameof(threads));
        lock (Gate)
        {
            var applied = TrySetPassiveWaitPolicy();
            TorchRuntime.EnsureLoaded();
            if (torch.get_num_threads() != wanted) torch.set_num_threads(wanted);
            return new TorchPerformanceSettings(torch.get_num_threads(), NativeVariable(WaitPolicyVariable) ?? "default", applied);
        }
    }

    // True when the policy will be in effect: set now, or already chosen in the environment, before OpenMP loaded.
    private static bool TrySetPassiveWaitPolicy()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (OpenMpLoaded()) return NativeVariable(WaitPolicyVariable) is not null;
        // .NET keeps its own copy of the environment on Unix: only libc's setenv reaches native code.
        // overwrite: 0 keeps a policy the operator chose.
        return SetEnvironment(WaitPolicyVariable, PassiveWaitPolicy, overwrite: 0) == 0;
    }

    private static bool OpenMpLoaded()
    {
        try
        {
            return File.ReadLines("/proc/self/maps").Any(line => line.Contains("libgomp", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static string? NativeVariable(string name) =>
        OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(GetEnvironment(name)) : Environment.GetEnvironmentVariable(name);

    // Runtime-marshalled imports: the project does not allow unsafe code, which LibraryImport needs.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
    private static extern int SetEnvironment(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv", CharSet = CharSet.Ansi)]
    private static extern IntPtr GetEnvironment(string name);
}
