using System.Text.Json;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;

namespace EmotionApi.Bench;

/// <summary>
/// One run of the quality benchmark, in a process of its own (so its peak memory is its own): trains a preset on the
/// training styles through <see cref="TrainingPipeline"/>, as a job does, then scores the held-out styles with the
/// model's own predictions. Prints its epochs as it goes and a last line "RESULT {json}".
/// </summary>
internal static class QualityRun
{
    public const string ResultPrefix = "RESULT ";

    public static void Run(BenchContext context)
    {
        var options = context.Options;
        var directory = options.DataDirectory ?? throw new ArgumentException("quality-run needs --data (the quality benchmark passes it).");
        var preset = options.Presets.Count == 1 ? options.Presets[0] : throw new ArgumentException("quality-run takes one --preset.");
        var settings = SettingsOverrides.Apply(TrainingPresets.Get(preset), options.Overrides) with { Seed = options.Seed ?? TrainingPresets.Get(preset).Seed };
        var entries = QualityDataset.Read(directory);
        var training = entries.Where(entry => entry.Part == QualityDataset.Training).Select(entry => new DatasetImage(entry.Id, entry.Label, entry.Path)).ToList();

        var loadAtStart = Machine.LoadAverage();
        var outcome = new TrainingPipeline().Run(training, settings, new EpochPrinter());
        using var model = outcome.Model;
        var validation = entries.Where(entry => entry.Part == QualityDataset.Validation).ToList();
        var test = entries.Where(entry => entry.Part == QualityDataset.Test).ToList();
        var (validationScores, validationMirrored, validationStyles) = Score(model, validation);
        var (testScores, _, testStyles) = test.Count > 0 ? Score(model, test) : (null, null!, new Dictionary<string, double>());

        var result = new QualityResult
        {
            Label = options.Label ?? preset,
            Preset = preset,
            Seed = settings.Seed,
            Network = settings.Network,
            Side = settings.ImageHeight,
            Epochs = outcome.History.Count,
            BestEpoch = outcome.BestEpoch,
            Seconds = outcome.Seconds,
            PeakMemoryGb = Machine.PeakMemoryGb(),
            LoadAtStart = loadAtStart,
            LoadAtEnd = Machine.LoadAverage(),
            InStyle = new QualityResult.Scores(outcome.Test.RocAuc, outcome.Test.Accuracy),
            Validation = validationScores,
            Test = testScores,
            StyleAuc = validationStyles.Concat(testStyles).ToDictionary(),
            ValidationMirrored = validationMirrored,
        };
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
    }

    /// <summary>AUC and accuracy at the model's threshold over the entries, the same with flip test-time augmentation, and AUC per style.</summary>
    private static (QualityResult.Scores Scores, QualityResult.Scores Mirrored, Dictionary<string, double> StyleAuc) Score(
        TrainedModel model, IReadOnlyList<QualityDataset.Entry> entries)
    {
        var prepared = entries.Select(entry => ImageCodec.Prepare(File.ReadAllBytes(entry.Path), model.InputSize, ImageLimits.Default)).ToList();
        var labels = entries.Select(entry => (int)entry.Drawn).ToArray();
        var probabilities = model.PredictPositive(prepared);
        // The library's own flip averaging (the mean logit of each image and its mirror), whatever the model was trained with.
        var averaged = NetworkInference.Logits(model.Network, new PreparedImageList(model.InputSize, prepared), TrainedModel.PredictionBatchSize,
            mirrorAveraged: true).Select(NetworkInference.Sigmoid).ToArray();
        var threshold = model.Manifest.Threshold;
        QualityResult.Scores Of(float[] scores) =>
            new(BinaryEvaluation.RocAuc(labels, scores), BinaryEvaluation.Evaluate(labels, scores, threshold).Accuracy);
        var styleAuc = entries.Select((entry, index) => (entry.Style, index)).GroupBy(pair => pair.Style).ToDictionary(
            group => group.Key.ToString(),
            group => BinaryEvaluation.RocAuc(group.Select(pair => labels[pair.index]).ToArray(), group.Select(pair => probabilities[pair.index]).ToArray()));
        return (Of(probabilities), Of(averaged), styleAuc);
    }

    private sealed class EpochPrinter : ITrainingObserver
    {
        public void OnStage(string stage) => Console.WriteLine($"  stage: {stage}");

        public void OnEpoch(EpochMetrics metrics) =>
            Console.WriteLine($"    epoch {metrics.Epoch}: {metrics.Seconds:F1} s, lr {metrics.LearningRate:G3}, train loss {metrics.TrainLoss:F3} acc {metrics.TrainAccuracy:P1}, " +
                              $"monitor loss {metrics.ValidationLoss:F3} acc {metrics.ValidationAccuracy:P1}");
    }
}
