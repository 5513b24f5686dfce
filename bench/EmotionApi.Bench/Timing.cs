using System.Diagnostics;

namespace EmotionApi.Bench;

/// <summary>Timed repetitions of actions, warm first.</summary>
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

    /// <summary>
    /// Times <paramref name="action"/> right after itself and after <paramref name="pause"/> asleep (as a lone client's
    /// request finds the process: idle since its last one), alternately, so load hits both alike.
    /// </summary>
    public static (Timed BackToBack, Timed AfterPause) AfterPause(Action action, TimeSpan pause, int runs)
    {
        action();
        var (busy, rested) = (new double[runs], new double[runs]);
        var clock = new Stopwatch();
        for (var run = 0; run < runs; run++)
        {
            action();
            clock.Restart();
            action();
            busy[run] = clock.Elapsed.TotalSeconds;
            Thread.Sleep(pause);
            clock.Restart();
            action();
            rested[run] = clock.Elapsed.TotalSeconds;
        }
        return (new Timed(Median(busy), busy.Min(), runs), new Timed(Median(rested), rested.Min(), runs));
    }

    private static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
