using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;

namespace EmotionApi.Bench;

/// <summary>compact-cnn's cost against input side: the default preset's size is a trade of detail against epochs per minute.</summary>
internal static class ImageSizeSweep
{
    // The article's 1,630 images leave 1,305 for training (baseline-details.md).
    private const int ArticleTrainingImages = 1_305;

    public static void Run(BenchContext context)
    {
        var sides = context.Options.Quick ? new[] { 64, 128 } : new[] { 32, 64, 96, 128, 160 };
        var steps = sides.Select(side => new TrainingStep(NetworkCatalog.CompactCnn, new ImageSize(side, side), 32)).ToList();
        try
        {
            var timed = StepComparison.Time(context, steps);
            for (var i = 0; i < steps.Count; i++)
            {
                var epochSeconds = ArticleTrainingImages / (steps[i].BatchSize / timed[i].MedianSeconds);
                Console.WriteLine($"  compact-cnn {steps[i].Size,-7} batch 32: {StepComparison.Describe(steps[i], timed[i], context.LimitGflops)}; " +
                                  $"{epochSeconds:F0} s per epoch of {ArticleTrainingImages:N0} images");
            }
            context.Summarise("image size, compact-cnn batch 32: " +
                              string.Join(", ", steps.Select((s, i) => $"{s.Size.Height} -> {s.BatchSize / timed[i].MedianSeconds:F0} img/s ({s.TrainingFlops / timed[i].MedianSeconds / 1e9 / context.LimitGflops:P0})")));
        }
        finally
        {
            steps.ForEach(s => s.Dispose());
        }
    }
}
