using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;
using EmotionApi.RunResults;

namespace EmotionApi.Models;

/// <summary>A model in a list.</summary>
/// <param name="Id">The model's id (the id of the job that trained it).</param>
/// <param name="JobId">The training job that produced it.</param>
/// <param name="DatasetId">The dataset it was trained on.</param>
/// <param name="Network">The network's name.</param>
/// <param name="Preset">The preset its settings started from.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="TestAccuracy">Accuracy on its held-out test set, at its threshold.</param>
/// <param name="TestRocAuc">ROC AUC on its test set.</param>
/// <param name="IsDefault">Whether /api/predict uses it when a request names no model.</param>
/// <param name="Threshold">Probability of Positive above which /api/predict labels an image Positive.</param>
public sealed record ModelSummary(
    string Id, string JobId, string DatasetId, string Network, string Preset, DateTimeOffset CreatedAt,
    double TestAccuracy, double TestRocAuc, bool IsDefault, double Threshold)
{
    public static ModelSummary From(RegisteredModel model, bool isDefault)
    {
        var evaluation = model.EvaluationAtThreshold() ?? model.Evaluation;
        return new ModelSummary(model.Id, model.JobId, model.DatasetId, model.Network, model.Preset, model.CreatedAt,
            evaluation.Accuracy, evaluation.RocAuc, isDefault, model.Threshold);
    }
}

/// <summary>Headline test-set metrics of a model at its threshold (the full evaluation is at /api/models/{id}/evaluation).</summary>
/// <param name="TestSize">Images in the test set.</param>
/// <param name="Threshold">The threshold these metrics were taken at: the model's, unless it changed and the model (of an earlier version) kept no test scores.</param>
/// <param name="Accuracy">Share of test images labelled right.</param>
/// <param name="AccuracyInterval">Wilson's 95% interval of the accuracy.</param>
/// <param name="NaiveBaselineAccuracy">Accuracy of always answering the majority class.</param>
/// <param name="Loss">Mean binary cross-entropy on the test set.</param>
/// <param name="RocAuc">Area under the ROC curve.</param>
/// <param name="RocAucInterval">DeLong's 95% interval of the ROC AUC; null when it cannot be computed.</param>
public sealed record ModelTestMetrics(
    int TestSize, double Threshold, double Accuracy, ConfidenceInterval? AccuracyInterval, double NaiveBaselineAccuracy, double Loss,
    double RocAuc, ConfidenceInterval? RocAucInterval)
{
    public static ModelTestMetrics From(EvaluationReport stored)
    {
        var report = stored.WithCountStatistics();
        return new ModelTestMetrics(report.TestSize, report.Threshold, report.Accuracy, report.AccuracyInterval, report.NaiveBaselineAccuracy,
            report.Loss, report.RocAuc, report.RocAucInterval);
    }
}

/// <summary>A model's manifest: what it is, where it came from, how it scored.</summary>
/// <param name="Id">The model's id (the id of the job that trained it).</param>
/// <param name="JobId">The training job that produced it.</param>
/// <param name="DatasetId">The dataset it was trained on.</param>
/// <param name="Network">The network's name.</param>
/// <param name="Preset">The preset its settings started from.</param>
/// <param name="ImageHeight">Height images are resized to before prediction.</param>
/// <param name="ImageWidth">Width images are resized to before prediction.</param>
/// <param name="Threshold">Probability of Positive above which /api/predict labels an image Positive.</param>
/// <param name="ThresholdOrigin">
/// How the threshold was chosen: rule "default" (the training settings'), "manual", "youden", "precision" or "recall";
/// the target asked for, the operating point on the validation part, and when.
/// </param>
/// <param name="ClassNames">Class names in index order.</param>
/// <param name="Settings">The full training settings.</param>
/// <param name="BestEpoch">The epoch whose weights it kept.</param>
/// <param name="TrainingSeconds">Wall time of the training run.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="TestMetrics">Headline test-set metrics at the threshold.</param>
/// <param name="IsDefault">Whether /api/predict uses it when a request names no model.</param>
/// <param name="Links">Where its results and file are.</param>
public sealed record ModelDetails(
    string Id, string JobId, string DatasetId, string Network, string Preset, int ImageHeight, int ImageWidth,
    double Threshold, ThresholdOrigin ThresholdOrigin, IReadOnlyList<string> ClassNames, TrainingSettings Settings, int? BestEpoch,
    double TrainingSeconds, DateTimeOffset CreatedAt, ModelTestMetrics TestMetrics, bool IsDefault, ModelLinks Links)
{
    public static ModelDetails From(RegisteredModel model, bool isDefault) => new(
        model.Id, model.JobId, model.DatasetId, model.Network, model.Preset, model.ImageHeight, model.ImageWidth,
        model.Threshold, model.ThresholdOrigin, model.ClassNames, model.Settings, model.BestEpoch, model.TrainingSeconds, model.CreatedAt,
        ModelTestMetrics.From(model.EvaluationAtThreshold() ?? model.Evaluation),
        isDefault, ModelLinks.For(model));
}

/// <summary>URLs of a model's results and files.</summary>
/// <param name="Self">The model's manifest.</param>
/// <param name="File">The model as a zip (weights and manifest).</param>
/// <param name="History">Per-epoch history.</param>
/// <param name="Evaluation">The test-set evaluation at its threshold.</param>
/// <param name="Roc">The test-set ROC curve.</param>
/// <param name="Job">The training job that made it.</param>
/// <param name="Onnx">The model as an ONNX graph (input "images", output "positive").</param>
/// <param name="Threshold">PUT a new decision threshold here.</param>
public sealed record ModelLinks(string Self, string File, string History, string Evaluation, string Roc, string Job, string Onnx, string Threshold)
{
    public static ModelLinks For(RegisteredModel model)
    {
        var self = $"/api/models/{model.Id}";
        return new ModelLinks(self, $"{self}/file", $"{self}/history", $"{self}/evaluation", $"{self}/roc", $"/api/training-jobs/{model.JobId}",
            $"{self}/onnx", $"{self}/threshold");
    }
}

/// <summary>A model after its threshold changed, and its test set evaluated at the new threshold.</summary>
/// <param name="Model">The model, with its new threshold and how it was chosen.</param>
/// <param name="Evaluation">
/// The test-set evaluation at the new threshold; null for a model of a version that kept no test scores (its stored
/// evaluation, at the old threshold, stays at /api/models/{id}/evaluation).
/// </param>
public sealed record ThresholdChangeView(ModelDetails Model, EvaluationView? Evaluation);

/// <summary>The model /api/predict uses when a request names none.</summary>
/// <param name="ModelId">Its id.</param>
/// <param name="ChosenByUser">True when a user chose it (PUT /api/models/default); false when it is simply the newest.</param>
/// <param name="Model">Its manifest.</param>
public sealed record DefaultModelView(string ModelId, bool ChosenByUser, ModelDetails Model);

/// <summary>Which model /api/predict should use when a request names none.</summary>
public sealed record DefaultModelRequest
{
    /// <summary>The id of a registered model.</summary>
    /// <example>4c1f0a9e27b3</example>
    public string? ModelId { get; init; }
}
