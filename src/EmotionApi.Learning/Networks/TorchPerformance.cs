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
    private static int? configuredThreads;

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
            configuredThreads = wanted;
            return new TorchPerformanceSettings(torch.get_num_threads(), NativeVariable(WaitPolicyVariable) ?? "default", applied);
        }
    }

    /// <summary>
    /// The calling thread's share of the CPU. <paramref name="threads"/>: torch's intra-op threads for torch calls made
    /// on this thread (OpenMP keeps the count per thread, and a thread that has not used torch yet starts with the
    /// count set last, by any thread); null for the process-wide count <see cref="Configure"/> set. <paramref name="niceness"/> (Linux, 0 to 19): how readily the scheduler gives
    /// this thread's core away; the OpenMP threads this thread starts inherit it, so set it before its first torch
    /// call. Raising the priority again needs a privilege the service does not have: the niceness sticks to the thread.
    /// </summary>
    /// <returns>False when the niceness could not be set (another system, or a refusal); the thread count is set regardless.</returns>
    public static bool ConfigureCurrentThread(int? threads, int niceness = 0)
    {
        var wanted = threads ?? configuredThreads ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(wanted, 1, nameof(threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(niceness, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(niceness, 19);
        var niced = niceness == 0 || (OperatingSystem.IsLinux() && SetPriority(PriorityOfProcess, GetThreadId(), niceness) == 0);
        TorchRuntime.EnsureLoaded();
        if (torch.get_num_threads() != wanted) torch.set_num_threads(wanted);
        return niced;
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

    // Linux schedules threads: PRIO_PROCESS with a thread id sets that thread's niceness alone.
    private const int PriorityOfProcess = 0;

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int niceness);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
