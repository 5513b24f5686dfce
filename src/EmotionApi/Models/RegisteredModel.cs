using EmotionApi.Learning.Evaluation;
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
    public required EvaluationReport Evaluation { get; init; }
    public double TrainingSeconds { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
