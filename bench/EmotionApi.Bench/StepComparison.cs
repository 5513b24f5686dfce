namespace EmotionApi.Bench;

/// <summary>Training steps of one network under several conditions, timed round-robin so their ratios are fair.</summary>
internal static class StepComparison
{
    public static Timed[] Time(BenchContext context, IReadOnlyList<TrainingStep> steps, IReadOnlyList<Action>? actions = null)
    {
        var heavy = steps.Max(s => s.TrainingFlops) > 5e10;
        return Timing.Compare(actions ?? steps.Select(s => (Action)s.Run).ToList(), warmup: 1, context.Runs(heavy ? 4 : 10));
    }

    public static string Describe(TrainingStep step, Timed timed, double peakGflops)
    {
        var gflops = step.TrainingFlops / timed.MedianSeconds / 1e9;
        return $"{step.BatchSize / timed.MedianSeconds,6:F1} img/s, {gflops,4:F0} GFLOP/s = {gflops / peakGflops,4:P0} of the limit; step {timed}";
    }
}
