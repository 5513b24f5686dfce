using System.Diagnostics;
using System.Runtime.InteropServices;
using EmotionApi.Learning.Networks;
using TorchSharp;

namespace EmotionApi.Bench;

/// <summary>What the figures were measured on, and how busy it was.</summary>
internal static class Machine
{
    public static void Describe(TorchPerformanceSettings performance)
    {
        Console.WriteLine($"CPU:        {CpuModel()} ({Environment.ProcessorCount} CPUs for this process)");
        Console.WriteLine($"Runtime:    .NET {Environment.Version}, {RuntimeInformation.OSDescription}");
        Console.WriteLine($"Torch:      {performance.Threads} intra-op threads, {torch.get_num_interop_threads()} inter-op threads, " +
                          $"OpenMP wait policy {performance.WaitPolicy}{(performance.WaitPolicyApplied ? "" : " (torch was loaded before it could be set)")}");
        Console.WriteLine($"Load:       {LoadAverage()}");
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), the best single hint of how shared the machine was.</summary>
    public static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path)) return "unknown";
        var parts = File.ReadAllText(path).Split(' ');
        return $"{parts[0]} {parts[1]} {parts[2]} (1, 5, 15 min)";
    }

    public static string PeakMemory() => $"{PeakMemoryGb():F2} GB";

    /// <summary>The process's peak working set so far, in GB.</summary>
    public static double PeakMemoryGb()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024 * 1024);
    }

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return RuntimeInformation.ProcessArchitecture.ToString();
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?.Split(':', 2)[1].Trim() ?? "unknown";
    }
}
