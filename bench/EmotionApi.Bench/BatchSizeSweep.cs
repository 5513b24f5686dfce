using EmotionApi.Learning.Images;
using EmotionApi.Learning.Training;

namespace EmotionApi.Bench;

/// <summary>Training throughput against batch size: bigger batches amortise per-step work but spill caches.</summary>
internal static class BatchSizeSweep
{
    public static void Run(BenchContext context)
    {
        Sweep(context, TrainingPresets.Compact, context.Options.Quick ? [16, 32] : [16, 32, 64]);
        Sweep(context, TrainingPresets.ArticleBaseline, context.Options.Quick ? [8, 32] : [8, 16, 32]);
    }

    private static void Sweep(BenchContext context, string presetName, int[] batchSizes)
    {
        var preset = TrainingPresets.Get(presetName);
        var size = new ImageSize(preset.ImageHeight, preset.ImageWidth);
        var steps = batchSizes.Select(b => new TrainingStep(preset.Network, size, b)).ToList();
        try
        {
            var timed = StepComparison.Time(context, steps);
            for (var i = 0; i < steps.Count; i++)
                Console.WriteLine($"  {preset.Network} {size} batch {steps[i].BatchSize,3}: {StepComparison.Describe(steps[i], timed[i], context.LimitGflops)}");
            context.Summarise($"batch size, {preset.Network} {size}: " +
                              string.Join(", ", steps.Select((s, i) => $"{s.BatchSize} -> {s.BatchSize / timed[i].MedianSeconds:F1} img/s")));
        }
        finally
        {
            steps.ForEach(s => s.Dispose());
        }
    }
}
