using EmotionApi.Learning.Images;
using EmotionApi.Learning.Training;
using TorchSharp;

namespace EmotionApi.Bench;

/// <summary>How training and sgemm scale from one thread to all of them.</summary>
internal static class ThreadScaling
{
    public static void Run(BenchContext context)
    {
        var all = torch.get_num_threads();
        if (all == 1)
        {
            Console.WriteLine("  one thread only: nothing to compare");
            return;
        }
        var preset = TrainingPresets.Get(TrainingPresets.Compact);
        var size = new ImageSize(preset.ImageHeight, preset.ImageWidth);
        using var step = new TrainingStep(preset.Network, size, preset.BatchSize);
        try
        {
            var timed = StepComparison.Time(context, [step, step],
            [
                () => { torch.set_num_threads(1); step.Run(); },
                () => { torch.set_num_threads(all); step.Run(); },
            ]);
            torch.set_num_threads(1);
            var single = MatrixMultiplyPeak.Gflops(2048, context.Runs(6));
            torch.set_num_threads(all);
            var full = MatrixMultiplyPeak.Gflops(2048, context.Runs(6));
            var stepScaling = timed[0].MedianSeconds / timed[1].MedianSeconds;
            Console.WriteLine($"  {preset.Network} {size}, 1 thread:  {StepComparison.Describe(step, timed[0], context.LimitGflops)}");
            Console.WriteLine($"  {preset.Network} {size}, {all} threads: {StepComparison.Describe(step, timed[1], context.LimitGflops)}");
            Console.WriteLine($"  sgemm 2048: {single.Median:F0} GFLOP/s on 1 thread, {full.Median:F0} on {all}");
            context.Summarise($"threads: training {stepScaling:F2}x and sgemm {full.Median / single.Median:F2}x faster on {all} threads than on 1");
        }
        finally
        {
            torch.set_num_threads(all);
        }
    }
}
