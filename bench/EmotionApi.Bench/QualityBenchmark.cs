using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EmotionApi.Learning.Training;

namespace EmotionApi.Bench;

/// <summary>
/// The model-quality benchmark of docs/model-quality.md: generates the styled faces once (<see cref="QualityDataset"/>),
/// trains every preset with every seed, each run in a child process (<see cref="QualityRun"/>), and prints per preset the
/// minimum and the median over seeds of AUC and accuracy on styles never seen in training, with training time and
/// peak memory. The minimum is the figure that matters: a user gets one run.
/// </summary>
internal static class QualityBenchmark
{
    public static IReadOnlyList<string> DefaultPresets { get; } =
        [TrainingPresets.ArticleBaseline, TrainingPresets.Default, TrainingPresets.Pretrained, TrainingPresets.PretrainedFrozen];
    public static IReadOnlyList<int> DefaultSeeds { get; } = [21, 1, 2];
    public const int DefaultTrainingImages = 300;

    public static void Run(BenchContext context)
    {
        var options = context.Options;
        var presets = options.Presets.Count > 0 ? options.Presets : DefaultPresets;
        var seeds = options.Seeds.Count > 0 ? options.Seeds : DefaultSeeds;
        var images = options.Images ?? DefaultTrainingImages;
        var directory = Directory.CreateTempSubdirectory("emotionapi-quality-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            QualityDataset.Write(directory, images, options.DataSeed, options.Tuning);
            Console.WriteLine($"  faces (data seed {options.DataSeed}): {QualityDataset.Describe(images, options.Tuning)}; generated in {clock.Elapsed.TotalSeconds:F1} s");
            if (options.Overrides.Count > 0) Console.WriteLine($"  overrides: {string.Join(", ", options.Overrides)}");

            var results = new List<QualityResult>();
            foreach (var preset in presets)
            {
                foreach (var seed in seeds)
                {
                    var result = RunChild(options, directory, preset, seed);
                    results.Add(result);
                    Console.WriteLine($"  {result.Label} seed {seed}: validation AUC {result.Validation.Auc:F3} acc {result.Validation.Accuracy:P1} " +
                                      $"(mirrored {result.ValidationMirrored.Auc:F3} / {result.ValidationMirrored.Accuracy:P1})" +
                                      (result.Test is { } test ? $", test AUC {test.Auc:F3} acc {test.Accuracy:P1}" : "") +
                                      $", in-style AUC {result.InStyle.Auc:F3}; {result.Seconds:F0} s, {result.PeakMemoryGb:F2} GB, load {result.LoadAtStart} -> {result.LoadAtEnd}");
                }
            }
            Console.WriteLine();
            foreach (var line in Table(results)) Console.WriteLine(line);
            Console.WriteLine();
            foreach (var line in RunTable(results)) Console.WriteLine(line);
            foreach (var label in results.Select(result => result.Label).Distinct())
            {
                var mine = results.Where(result => result.Label == label).ToList();
                var target = mine.All(result => result.Test is not null) ? "test" : "validation";
                var auc = mine.Select(result => (result.Test ?? result.Validation).Auc).ToList();
                context.Summarise($"quality {label}: {target} styles AUC min {auc.Min():F3}, median {Median(auc):F3} over seeds {string.Join(", ", mine.Select(result => result.Seed))}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Min and median per variant: the held-out styles first (test, or validation while tuning).</summary>
    private static IEnumerable<string> Table(IReadOnlyList<QualityResult> results)
    {
        var tuning = results.Any(result => result.Test is null);
        yield return $"| preset | network, side | {(tuning ? "" : "test styles AUC min / median | test accuracy min / median | ")}validation styles AUC min / median | " +
                     "validation accuracy min / median | validation AUC, flip TTA min / median | in-style AUC min / median | training time median (range) | peak memory |";
        yield return tuning ? "| --- | --- | --- | --- | --- | --- | --- | --- |" : "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";
        foreach (var group in results.GroupBy(result => result.Label))
        {
            var runs = group.ToList();
            string MinMedian(Func<QualityResult, double> metric, string format) =>
                $"{runs.Min(metric).ToString(format, CultureInfo.InvariantCulture)} / {Median(runs.Select(metric).ToList()).ToString(format, CultureInfo.InvariantCulture)}";
            var seconds = runs.Select(result => result.Seconds).ToList();
            var testColumns = tuning ? "" : $"{MinMedian(result => result.Test!.Auc, "F3")} | {MinMedian(result => result.Test!.Accuracy * 100, "F1")}% | ";
            yield return $"| {group.Key} | {runs[0].Network}, {runs[0].Side} | {testColumns}{MinMedian(result => result.Validation.Auc, "F3")} | " +
                         $"{MinMedian(result => result.Validation.Accuracy * 100, "F1")}% | {MinMedian(result => result.ValidationMirrored.Auc, "F3")} | " +
                         $"{MinMedian(result => result.InStyle.Auc, "F3")} | {Median(seconds):F0} s ({seconds.Min():F0} to {seconds.Max():F0}) | " +
                         $"{runs.Max(result => result.PeakMemoryGb):F2} GB |";
        }
    }

    private static IEnumerable<string> RunTable(IReadOnlyList<QualityResult> results)
    {
        var styles = results.SelectMany(result => result.StyleAuc.Keys).Distinct().ToList();
        yield return $"| run | seed | epochs (kept) | {string.Join(" | ", styles.Select(style => $"{style} AUC"))} | seconds | load at start |";
        yield return $"| --- | --- | --- | {string.Join(" | ", styles.Select(_ => "---"))} | --- | --- |";
        foreach (var result in results)
        {
            yield return $"| {result.Label} | {result.Seed} | {result.Epochs} ({result.BestEpoch}) | " +
                         $"{string.Join(" | ", styles.Select(style => result.StyleAuc.TryGetValue(style, out var auc) ? auc.ToString("F3", CultureInfo.InvariantCulture) : ""))} | " +
                         $"{result.Seconds:F0} | {result.LoadAtStart.Split(' ')[0]} |";
        }
    }

    private static QualityResult RunChild(BenchOptions options, string directory, string preset, int seed)
    {
        using var child = Process.Start(ChildProcess.StartInfo(ChildArguments(options, directory, preset, seed))) ?? throw new InvalidOperationException("The benchmark could not start a child process.");
        var errors = child.StandardError.ReadToEndAsync();
        QualityResult? result = null;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(QualityRun.ResultPrefix, StringComparison.Ordinal))
                result = JsonSerializer.Deserialize<QualityResult>(line[QualityRun.ResultPrefix.Length..]);
            else if (line.StartsWith("    epoch", StringComparison.Ordinal) || line.StartsWith("  stage", StringComparison.Ordinal))
                Console.WriteLine($"  [{preset} {seed}]{line}");
        }
        child.WaitForExit();
        if (child.ExitCode != 0 || result is null)
            throw new InvalidOperationException($"The run of {preset} with seed {seed} exited with {child.ExitCode}: {errors.Result}");
        return result;
    }

    private static IEnumerable<string> ChildArguments(BenchOptions options, string directory, string preset, int seed)
    {
        yield return "quality-run";
        yield return "--preset";
        yield return preset;
        yield return "--seed";
        yield return seed.ToString(CultureInfo.InvariantCulture);
        yield return "--data";
        yield return directory;
        foreach (var entry in options.Overrides)
        {
            yield return "--set";
            yield return entry;
        }
        if (options.Label is { } label)
        {
            yield return "--label";
            yield return label;
        }
        if (options.Threads is { } threads)
        {
            yield return "--threads";
            yield return threads.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
