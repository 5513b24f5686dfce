using EmotionApi.Learning.Training;

namespace EmotionApi.Models;

/// <summary>A model in a list.</summary>
/// <param name="Id">The model's id (the id of the job that trained it).</param>
/// <param name="JobId">The training job that produced it.</param>
/// <param name="DatasetId">The dataset it was trained on.</param>
/// <param name="Network">The network's name.</param>
/// <param name="Preset">The preset its settings started from.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="TestAccuracy">Accuracy on its held-out test set.</param>
/// <param name="TestRocAuc">ROC AUC on its test set.</param>
/// <param name="IsDefault">Whether /api/predict uses it when a request names no model.</param>
public sealed record ModelSummary(
    string Id, string JobId, string DatasetId, string Network, string Preset, DateTimeOffset CreatedAt,
    double TestAccuracy, double TestRocAuc, bool IsDefault)
{
    public static ModelSummary From(RegisteredModel model, bool isDefault) => new(
        model.Id, model.JobId, model.DatasetId, model.Network, model.Preset, model.CreatedAt,
        model.Evaluation.Accuracy, model.Evaluation.RocAuc, isDefault);
}

/// <summary>Headline test-set metrics of a model (the full evaluation is at /api/models/{id}/evaluation).</summary>
public sealed record ModelTestMetrics(int TestSize, double Accuracy, double NaiveBaselineAccuracy, double Loss, double RocAuc);

/// <summary>A model's manifest: what it is, where it came from, how it scored.</summary>
/// <param name="Id">The model's id (the id of the job that trained it).</param>
/// <param name="JobId">The training job that produced it.</param>
/// <param name="DatasetId">The dataset it was trained on.</param>
/// <param name="Network">The network's name.</param>
/// <param name="Preset">The preset its settings started from.</param>
/// <param name="ImageHeight">Height images are resized to before prediction.</param>
/// <param name="ImageWidth">Width images are resized to before prediction.</param>
/// <param name="Threshold">Probability of Positive above which /api/predict labels an image Positive.</param>
/// <param name="ClassNames">Class names in index order.</param>
/// <param name="Settings">The full training settings.</param>
/// <param name="BestEpoch">The epoch whose weights it kept.</param>
/// <param name="TrainingSeconds">Wall time of the training run.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="TestMetrics">Headline test-set metrics.</param>
/// <param name="IsDefault">Whether /api/predict uses it when a request names no model.</param>
/// <param name="Links">Where its results and file are.</param>
public sealed record ModelDetails(
    string Id, string JobId, string DatasetId, string Network, string Preset, int ImageHeight, int ImageWidth,
    double Threshold, IReadOnlyList<string> ClassNames, TrainingSettings Settings, int? BestEpoch, double TrainingSeconds,
    DateTimeOffset CreatedAt, ModelTestMetrics TestMetrics, bool IsDefault, ModelLinks Links)
{
    public static ModelDetails From(RegisteredModel model, bool isDefault) => new(
        model.Id, model.JobId, model.DatasetId, model.Network, model.Preset, model.ImageHeight, model.ImageWidth,
        model.Threshold, model.ClassNames, model.Settings, model.BestEpoch, model.TrainingSeconds, model.CreatedAt,
        new ModelTestMetrics(model.Evaluation.TestSize, model.Evaluation.Accuracy, model.Evaluation.NaiveBaselineAccuracy,
            model.Evaluation.Loss, model.Evaluation.RocAuc),
        isDefault, ModelLinks.For(model));
}

/// <summary>URLs of a model's results and file.</summary>
public sealed record ModelLinks(string Self, string File, string History, string Evaluation, string Roc, string Job)
{
    public static ModelLinks For(RegisteredModel model)
    {
        var self = $"/api/models/{model.Id}";
        return new ModelLinks(self, $"{self}/file", $"{self}/history", $"{self}/evaluation", $"{self}/roc", $"/api/training-jobs/{model.JobId}");
    }
}

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
