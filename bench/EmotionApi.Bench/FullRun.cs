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
/// <remarks>
/// In memory, the run holds every prepared image (as the pipeline does without a cache). Streamed, it prepares them
/// into a <see cref="PreparedImageCache"/> file and reads them batch by batch, as the service's jobs do; then a second
/// run on the same images, a second job on the same dataset, shows what reusing the file saves.
/// </remarks>
internal static class FullRun
{
    // The article's dataset: 1,630 images (baseline-details.md), photos larger than the 400x500 they were resized to.
    private const int ArticleImageCount = 1_630;
    private const int GeneratedWidth = 640;
    private const int GeneratedHeight = 480;

    public static void Run(BenchContext context, string presetName, bool streamed = false)
    {
        var settings = TrainingPresets.Get(presetName);
        if (context.Options.Epochs is { } epochs) settings = settings with { Epochs = epochs };
        var count = context.Options.Images ?? ArticleImageCount;
        var folder = Path.Combine(Path.GetTempPath(), $"emotionapi-bench-{Environment.ProcessId}-{presetName}");
        Directory.CreateDirectory(folder);
        try
        {
            var clock = Stopwatch.StartNew();
            var images = GeneratedFaceFiles.Write(folder, new SyntheticFacesOptions { Count = count, Width = GeneratedWidth, Height = GeneratedHeight, Seed = 1 });
            Console.WriteLine($"  generated {images.Count:N0} faces of {GeneratedWidth}x{GeneratedHeight} in {clock.Elapsed.TotalSeconds:F1} s (not part of the run)");
            if (!streamed)
            {
                var (outcome, loading) = RunOnce(new TrainingPipeline(), images, settings, presetName, "in memory");
                context.Summarise($"full {presetName} run on {count:N0} generated faces, {settings.Epochs} epochs, images in memory: " +
                                  $"{outcome.Seconds / 60:F1} min (loading {loading:F1} s), peak memory {Machine.PeakMemory()}, " +
                                  $"test accuracy {outcome.Test.Accuracy:P1}, AUC {outcome.Test.RocAuc:F3}");
                return;
            }

            var cache = new PreparedImageCache(Path.Combine(folder, "prepared"));
            var (first, firstLoading) = RunOnce(new TrainingPipeline(cache), images, settings, presetName, "streamed, first run (builds the cache)");
            var peakAfterFirst = Machine.PeakMemory();
            var file = new FileInfo(Directory.GetFiles(cache.Directory, "*" + PreparedImageCache.FileExtension).Single());
            var built = file.LastWriteTimeUtc;
            var (second, secondLoading) = RunOnce(new TrainingPipeline(cache), images, settings, presetName, "streamed, second run (same images and size)");
            file.Refresh();
            var reused = file.Exists && file.LastWriteTimeUtc == built &&
                         Directory.GetFiles(cache.Directory, "*" + PreparedImageCache.FileExtension).Length == 1;
            Console.WriteLine($"  cache file {file.Name}: {file.Length / (1024.0 * 1024 * 1024):F2} GB; " +
                              $"{(reused ? "the second run reused it (not rewritten): it decoded nothing" : "REBUILT by the second run")}");
            context.Summarise($"full {presetName} run on {count:N0} generated faces, {settings.Epochs} epochs, streamed from the prepared-image cache: " +
                              $"{first.Seconds / 60:F1} min (loading {firstLoading:F1} s), peak memory {peakAfterFirst}; second run {second.Seconds / 60:F1} min " +
                              $"(loading {secondLoading:F2} s{(reused ? ", nothing decoded" : ", REBUILT")}), peak memory of both {Machine.PeakMemory()}; " +
                              $"test accuracy {first.Test.Accuracy:P1}, AUC {first.Test.RocAuc:F3}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One run, printed stage by stage; returns its outcome and its image-loading seconds.</summary>
    private static (TrainingOutcome Outcome, double LoadingSeconds) RunOnce(
        TrainingPipeline pipeline, IReadOnlyList<DatasetImage> images, TrainingSettings settings, string presetName, string how)
    {
        Console.WriteLine($"  {how}:");
        var observer = new StageClock();
        var outcome = pipeline.Run(images, settings, observer);
        outcome.Model.Dispose();
        observer.Finish();
        var test = outcome.Test;
        Console.WriteLine($"  {presetName}: {settings.Network} at {settings.ImageHeight}x{settings.ImageWidth}, batch {settings.BatchSize}, " +
                          $"{outcome.History.Count} of {settings.Epochs} epochs (best {outcome.BestEpoch})");
        foreach (var (stage, seconds) in observer.Stages)
            Console.WriteLine($"  {stage,-15} {seconds,7:F1} s");
        var trained = outcome.History.Sum(epoch => epoch.Seconds);
        Console.WriteLine($"  whole run       {outcome.Seconds,7:F1} s ({outcome.Seconds / 60:F1} min); epochs {trained:F1} s, " +
                          $"{images.Count * (1 - settings.TestFraction) * outcome.History.Count / trained:F1} training images/s with evaluation; " +
                          $"peak memory of the process {Machine.PeakMemory()}");
        Console.WriteLine($"  test set of {test.TestSize}: accuracy {test.Accuracy:P1} (naive baseline {test.NaiveBaselineAccuracy:P1}), ROC AUC {test.RocAuc:F3}, loss {test.Loss:F3}");
        var loading = observer.Stages.FirstOrDefault(stage => stage.Stage == TrainingPipeline.LoadingImagesStage).Seconds;
        return (outcome, loading);
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
