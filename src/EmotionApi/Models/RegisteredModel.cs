using System.Text.Json.Serialization;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;

namespace EmotionApi.Models;

/// <summary>
/// A model in the registry: <c>models/{id}/registration.json</c>, beside the weights and manifest that
/// <see cref="Learning.Models.TrainedModel"/> reads. It records where the model came from and how it
/// scored; a model's id is the id of the job that trained it.
/// </summary>
public sealed record RegisteredModel
{
    public required string Id { get; init; }
    public required string JobId { get; init; }
    public required string DatasetId { get; init; }
    public required string Network { get; init; }
    public required string Preset { get; init; }
    public required int ImageHeight { get; init; }
    public required int ImageWidth { get; init; }
    public required double Threshold { get; init; }
    /// <summary>Index order: ["Negative", "Positive"].</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required TrainingSettings Settings { get; init; }
    public int? BestEpoch { get; init; }
    public IReadOnlyList<EpochMetrics> History { get; init; } = [];
    /// <summary>The test-set evaluation at the threshold the model was trained with.</summary>
    public required EvaluationReport Evaluation { get; init; }
    public double TrainingSeconds { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Its probabilities on the test set: the test set can be evaluated at another threshold. Null for a model of a version that did not keep them.</summary>
    public ScoredImages? TestScores { get; init; }
    /// <summary>Its probabilities on the validation part, from which a rule chooses a threshold. Null without a validation part, or for a model of a version that did not keep them.</summary>
    public ScoredImages? ValidationScores { get; init; }

    /// <summary>How <see cref="Threshold"/> was chosen: read with the threshold from the model's manifest (model.json), never stored here.</summary>
    [JsonIgnore]
    public ThresholdOrigin ThresholdOrigin { get; init; } = ThresholdOrigin.Default;

    /// <summary>
    /// The test-set evaluation at the current <see cref="Threshold"/>: <see cref="Evaluation"/> when that is its threshold,
    /// else made again from <see cref="TestScores"/>; null when the threshold changed and the scores were not kept.
    /// </summary>
    public EvaluationReport? EvaluationAtThreshold()
    {
        if (Threshold.Equals(Evaluation.Threshold)) return Evaluation;
        if (TestScores is null) return null;
        return TestScores.Evaluate(Threshold) with { TestImagesWithNearDuplicateInTraining = Evaluation.TestImagesWithNearDuplicateInTraining };
    }
}
