using System.Diagnostics;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Training;

namespace EmotionApi.Bench;

/// <summary>
/// A whole run through the training pipeline, as a job runs it: generated sample faces written as PNG files,
/// decoding and resizing, split, training with the preset's augmentation, evaluation on the test set.
/// Reports wall time per stage, peak memory of the process and the test metrics. Run it alone
/// (`-- run-seed-baseline`) for a meaningful peak memory.
/// </summary>
internal static class FullRun
{
    // The article's dataset: 1,630 images (baseline-details.md), photos larger than the 400x500 they were resized to.
    private const int ArticleImageCount = 1_630;
    private const int GeneratedWidth = 640;
    private const int GeneratedHeight = 480;

    public static void Run(BenchContext context, string presetName)
    {
        var settings = TrainingPresets.Get(presetName);
        var count = context.Options.Images ?? ArticleImageCount;
        var folder = Path.Combine(Path.GetTempPath(), $"emotionapi-bench-{Environment.ProcessId}-{presetName}");
        Directory.CreateDirectory(folder);
        try
        {
            var clock = Stopwatch.StartNew();
            var images = Generate(folder, count);
            Console.WriteLine($"  generated {images.Count:N0} faces of {GeneratedWidth}x{GeneratedHeight} in {clock.Elapsed.TotalSeconds:F1} s (not part of the run)");

            var observer = new StageClock();
            var outcome = new TrainingPipeline().Run(images, settings, observer);
            using var model = outcome.Model;
            observer.Finish();
            var test = outcome.Test;
            Console.WriteLine($"  {presetName}: {settings.Network} at {settings.ImageHeight}x{settings.ImageWidth}, batch {settings.BatchSize}, " +
                              $"{outcome.History.Count} of {settings.Epochs} epochs (best {outcome.BestEpoch})");
            foreach (var (stage, seconds) in observer.Stages)
                Console.WriteLine($"  {stage,-15} {seconds,7:F1} s");
            Console.WriteLine($"  whole run       {outcome.Seconds,7:F1} s ({outcome.Seconds / 60:F1} min); peak memory of the process {Machine.PeakMemory()}");
            Console.WriteLine($"  test set of {test.TestSize}: accuracy {test.Accuracy:P1} (naive baseline {test.NaiveBaselineAccuracy:P1}), ROC AUC {test.RocAuc:F3}, loss {test.Loss:F3}");
            context.Summarise($"full {presetName} run on {count:N0} generated faces: {outcome.Seconds / 60:F1} min, peak memory {Machine.PeakMemory()}, " +
                              $"test accuracy {test.Accuracy:P1}, AUC {test.RocAuc:F3}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<DatasetImage> Generate(string folder, int count)
    {
        var options = new SyntheticFacesOptions { Count = count, Width = GeneratedWidth, Height = GeneratedHeight, Seed = 1 };
        var images = new List<DatasetImage>(count);
        foreach (var image in SyntheticFaces.Generate(options))
        {
            var path = Path.Combine(folder, image.FileName);
            File.WriteAllBytes(path, image.Png);
            images.Add(new DatasetImage(image.FileName, image.Label, path));
        }
        return images;
    }

    /// <summary>Seconds per pipeline stage, and each epoch as it ends.</summary>
    private sealed class StageClock : ITrainingObserver
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private string? current;

        public List<(string Stage, double Seconds)> Stages { get; } = [];

        public void OnStage(string stage)
        {
            Finish();
            current = stage;
            clock.Restart();
        }

        public void OnEpoch(EpochMetrics metrics) =>
            Console.WriteLine($"    epoch {metrics.Epoch}: {metrics.Seconds:F1} s, train loss {metrics.TrainLoss:F3} acc {metrics.TrainAccuracy:P1}, " +
                              $"monitor loss {metrics.ValidationLoss:F3} acc {metrics.ValidationAccuracy:P1}");

        public void Finish()
        {
            if (current is not null) Stages.Add((current, clock.Elapsed.TotalSeconds));
            current = null;
        }
    }
}
