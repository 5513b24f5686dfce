using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Bench;

/// <summary>
/// What each speed-up buys, timed round-robin: plain NCHW activations against channels_last, and the article
/// network's conv1 and conv2 run apart (as written) against composed into one convolution. The first line of
/// the article network is the plain implementation of the platform notes.
/// </summary>
internal static class SpeedupComparison
{
    public static void Run(BenchContext context)
    {
        var article = TrainingPresets.Get(TrainingPresets.ArticleBaseline);
        Compare(context, article,
        [
            ("NCHW, conv1 and conv2 apart", false, false),
            ("channels_last, apart", true, false),
            ("channels_last, composed", true, true),
        ]);
        Compare(context, TrainingPresets.Get(TrainingPresets.Compact),
        [
            ("NCHW", false, true),
            ("channels_last", true, true),
        ]);
        CompareAugmentation(context, article);
    }

    // The article's augmentation at 400x500 two ways: torch's affine_grid + grid_sample (whose output the networks
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
                Console.WriteLine($"  {preset.Network} {size} batch {preset.BatchSize}, {variants[i].Label,-28} {StepComparison.Describe(steps[i], timed[i], context.LimitGflops)}");
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
