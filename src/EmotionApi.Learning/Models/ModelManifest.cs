using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Models;

/// <summary>Everything needed to use and trust a saved model, written beside its weights.</summary>
public sealed record ModelManifest
{
    public const int CurrentFormat = 1;
    public int Format { get; init; } = CurrentFormat;
    public required string Network { get; init; }
    public required int ImageHeight { get; init; }
    public required int ImageWidth { get; init; }
    /// <summary>How inputs are prepared: "rgb, flatten-alpha-on-white, resize-bilinear, scale-1/255".</summary>
    public required string Preparation { get; init; }
    /// <summary>Index order: ["Negative", "Positive"].</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required double Threshold { get; init; }
    public required TrainingSettings Settings { get; init; }
    public EvaluationReport? TestMetrics { get; init; }
    public int? BestEpoch { get; init; }
    public required IReadOnlyDictionary<string, string> LibraryVersions { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
