using System.Diagnostics;

namespace EmotionApi.Bench;

/// <summary>Median and best of repeated runs: the median is what a run sees, the best what the machine can do when nothing else competes.</summary>
internal readonly record struct Timed(double MedianSeconds, double BestSeconds, int Runs)
{
    public override string ToString() => $"{Format(MedianSeconds)} (best {Format(BestSeconds)}, {Runs} runs)";

    public static string Format(double seconds) => seconds switch
    {
        >= 1 => $"{seconds:F2} s",
        >= 1e-3 => $"{seconds * 1e3:F1} ms",
        _ => $"{seconds * 1e6:F0} us",
    };
}

internal static class Timing
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then <paramref name="runs"/> times timed.</summary>
    public static Timed Measure(Action action, int warmup, int runs) => Compare([action], warmup, runs)[0];

    /// <summary>
    /// Times several actions round-robin (a, b, c, a, b, c, ...), so a burst of load on the shared machine
    /// hits all of them alike and their ratio stays fair.
    /// </summary>
    public static Timed[] Compare(IReadOnlyList<Action> actions, int warmup, int runs)
    {
        for (var i = 0; i < warmup; i++)
            foreach (var action in actions) action();
        var seconds = actions.Select(_ => new double[runs]).ToArray();
        var clock = new Stopwatch();
        for (var run = 0; run < runs; run++)
        {
            for (var a = 0; a < actions.Count; a++)
            {
                clock.Restart();
                actions[a]();
                seconds[a][run] = clock.Elapsed.TotalSeconds;
            }
        }
        return seconds.Select(s => new Timed(Median(s), s.Min(), runs)).ToArray();
    }

    private static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
