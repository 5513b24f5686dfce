using System.Diagnostics;

namespace EmotionApi.Bench;

/// <summary>
/// OpenMP threads that spin while waiting (OMP_WAIT_POLICY=ACTIVE, close to libgomp's default) against
/// threads that sleep (PASSIVE, what TorchPerformance.Configure sets). OpenMP reads the policy once per
/// process, so each policy runs the tiny and compact training benchmarks in a child process.
/// </summary>
internal static class WaitPolicyComparison
{
    private static readonly string[] ChildBenchmarks = ["train-tiny", "train-compact"];

    public static void Run(BenchContext context)
    {
        foreach (var policy in new[] { "ACTIVE", "PASSIVE" })
        {
            var lines = RunChild(policy, context.Options.Threads);
            foreach (var line in lines.Where(l => l.Contains("training step") || l.StartsWith("- tiny", StringComparison.Ordinal) || l.StartsWith("- compact", StringComparison.Ordinal)))
                Console.WriteLine($"  {policy,-7} {line.Trim()}");
            foreach (var summary in lines.Where(l => l.StartsWith("- tiny", StringComparison.Ordinal) || l.StartsWith("- compact", StringComparison.Ordinal)))
                context.Summarise($"OMP_WAIT_POLICY={policy}: {summary[2..]}");
        }
    }

    private static List<string> RunChild(string policy, int? threads)
    {
        var start = ChildProcess.StartInfo([.. ChildBenchmarks, "--quick"]);
        if (threads is { } count)
        {
            start.ArgumentList.Add("--threads");
            start.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        start.Environment["OMP_WAIT_POLICY"] = policy;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The benchmark could not start a child process.");
        var errors = child.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (child.StandardOutput.ReadLine() is { } line) lines.Add(line);
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"The {policy} child exited with {child.ExitCode}: {errors.Result}");
        return lines;
    }
}
