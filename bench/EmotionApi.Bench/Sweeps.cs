using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

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
        return $"{step.BatchSize / timed.MedianSeconds,6:F1} img/s, {gflops,4:F0} GFLOP/s = {gflops / peakGflops,4:P0} of peak; step {timed}";
    }
}

/// <summary>
/// What each speed-up buys, timed round-robin: plain NCHW activations against channels_last, and the seed
/// network's conv1 and conv2 run apart (as written) against composed into one convolution. The first seed
/// line is the plain implementation of the platform notes.
/// </summary>
internal static class SpeedupComparison
{
    public static void Run(BenchContext context)
    {
        var seed = TrainingPresets.Get(TrainingPresets.SeedBaseline);
        Compare(context, seed,
        [
            ("NCHW, conv1 and conv2 apart", false, false),
            ("channels_last, apart", true, false),
            ("channels_last, composed", true, true),
        ]);
        Compare(context, TrainingPresets.Get(TrainingPresets.Default),
        [
            ("NCHW", false, true),
            ("channels_last", true, true),
        ]);
        CompareAugmentation(context, seed);
    }

    // The seed's augmentation at 400x500 two ways: torch's affine_grid + grid_sample (whose output the networks
    // must then reorder to channels_last) against the augmenter's single warp pass.
    private static void CompareAugmentation(BenchContext context, TrainingSettings preset)
    {
        var size = new ImageSize(preset.ImageHeight, preset.ImageWidth);
        var augmenter = new BatchAugmenter(preset.Augmentation);
        var random = new Random(1);
        var draws = Enumerable.Range(0, preset.BatchSize).Select(_ => augmenter.Draw(random, size.Height, size.Width)).ToArray();
        using var plain = torch.rand(preset.BatchSize, 3, size.Height, size.Width);
        using var batch = ChannelsLast.Of(plain);
        using var theta = torch.tensor(draws.SelectMany(d => d.Theta(size.Height, size.Width)).ToArray(), [preset.BatchSize, 2, 3]);
        var timed = Timing.Compare(
        [
            () =>
            {
                using var scope = torch.NewDisposeScope();
                var grid = torch.nn.functional.affine_grid(theta, [preset.BatchSize, 3, size.Height, size.Width], align_corners: false);
                var sampled = torch.nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
                ChannelsLast.Of(sampled);
            },
            () =>
            {
                using var scope = torch.NewDisposeScope();
                BatchAugmenter.Transform(batch, draws);
            },
        ], warmup: 1, context.Runs(6));
        Console.WriteLine($"  augmentation {size} batch {preset.BatchSize}, affine_grid + grid_sample + reorder: {timed[0]}");
        Console.WriteLine($"  augmentation {size} batch {preset.BatchSize}, one warp pass:                    {timed[1]}");
        context.Summarise($"speed-ups, augmentation {size} batch {preset.BatchSize}: affine_grid + grid_sample {Timed.Format(timed[0].MedianSeconds)}, " +
                          $"warp {Timed.Format(timed[1].MedianSeconds)} ({timed[0].MedianSeconds / timed[1].MedianSeconds:F1}x)");
    }

    private static void Compare(BenchContext context, TrainingSettings preset, (string Label, bool ChannelsLast, bool Compose)[] variants)
    {
        var size = new ImageSize(preset.ImageHeight, preset.ImageWidth);
        var steps = variants.Select(v => new TrainingStep(preset.Network, size, preset.BatchSize, channelsLast: v.ChannelsLast, composeFirstConvolutions: v.Compose)).ToList();
        try
        {
            var timed = StepComparison.Time(context, steps);
            for (var i = 0; i < steps.Count; i++)
                Console.WriteLine($"  {preset.Network} {size} batch {preset.BatchSize}, {variants[i].Label,-28} {StepComparison.Describe(steps[i], timed[i], context.PeakGflops)}");
            var baseline = timed[0].MedianSeconds;
            context.Summarise($"speed-ups, {preset.Network} {size}: " +
                              string.Join(", ", variants.Select((v, i) => $"{v.Label} {steps[i].BatchSize / timed[i].MedianSeconds:F1} img/s ({baseline / timed[i].MedianSeconds:F2}x)")));
        }
        finally
        {
            steps.ForEach(s => s.Dispose());
        }
    }
}

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
        var preset = TrainingPresets.Get(TrainingPresets.Default);
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
            Console.WriteLine($"  {preset.Network} {size}, 1 thread:  {StepComparison.Describe(step, timed[0], context.PeakGflops)}");
            Console.WriteLine($"  {preset.Network} {size}, {all} threads: {StepComparison.Describe(step, timed[1], context.PeakGflops)}");
            Console.WriteLine($"  sgemm 2048: {single.Median:F0} GFLOP/s on 1 thread, {full.Median:F0} on {all}");
            context.Summarise($"threads: training {stepScaling:F2}x and sgemm {full.Median / single.Median:F2}x faster on {all} threads than on 1");
        }
        finally
        {
            torch.set_num_threads(all);
        }
    }
}

/// <summary>Training throughput against batch size: bigger batches amortise per-step work but spill caches.</summary>
internal static class BatchSizeSweep
{
    public static void Run(BenchContext context)
    {
        Sweep(context, TrainingPresets.Default, context.Options.Quick ? [16, 32] : [16, 32, 64]);
        Sweep(context, TrainingPresets.SeedBaseline, context.Options.Quick ? [8, 32] : [8, 16, 32]);
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
                Console.WriteLine($"  {preset.Network} {size} batch {steps[i].BatchSize,3}: {StepComparison.Describe(steps[i], timed[i], context.PeakGflops)}");
            context.Summarise($"batch size, {preset.Network} {size}: " +
                              string.Join(", ", steps.Select((s, i) => $"{s.BatchSize} -> {s.BatchSize / timed[i].MedianSeconds:F1} img/s")));
        }
        finally
        {
            steps.ForEach(s => s.Dispose());
        }
    }
}

/// <summary>compact-cnn's cost against input side: the default preset's size is a trade of detail against epochs per minute.</summary>
internal static class ImageSizeSweep
{
    // The seed's 1,630 images leave 1,305 for training (baseline-details.md).
    private const int SeedTrainingImages = 1_305;

    public static void Run(BenchContext context)
    {
        var sides = context.Options.Quick ? new[] { 64, 128 } : new[] { 32, 64, 96, 128, 160 };
        var steps = sides.Select(side => new TrainingStep(NetworkCatalog.CompactCnn, new ImageSize(side, side), 32)).ToList();
        try
        {
            var timed = StepComparison.Time(context, steps);
            for (var i = 0; i < steps.Count; i++)
            {
                var epochSeconds = SeedTrainingImages / (steps[i].BatchSize / timed[i].MedianSeconds);
                Console.WriteLine($"  compact-cnn {steps[i].Size,-7} batch 32: {StepComparison.Describe(steps[i], timed[i], context.PeakGflops)}; " +
                                  $"{epochSeconds:F0} s per epoch of {SeedTrainingImages:N0} images");
            }
            context.Summarise("image size, compact-cnn batch 32: " +
                              string.Join(", ", steps.Select((s, i) => $"{s.Size.Height} -> {s.BatchSize / timed[i].MedianSeconds:F0} img/s ({s.TrainingFlops / timed[i].MedianSeconds / 1e9 / context.PeakGflops:P0})")));
        }
        finally
        {
            steps.ForEach(s => s.Dispose());
        }
    }
}
