namespace EmotionApi.Bench;

/// <summary>One run of the quality benchmark: what a child process measured, as it prints it (one JSON line).</summary>
internal sealed record QualityResult
{
    public required string Label { get; init; }
    public required string Preset { get; init; }
    public required int Seed { get; init; }
    public required string Network { get; init; }
    public required int Side { get; init; }
    public required int Epochs { get; init; }
    public required int BestEpoch { get; init; }
    /// <summary>The whole pipeline: loading images, training, evaluating its own test split.</summary>
    public required double Seconds { get; init; }
    public required double PeakMemoryGb { get; init; }
    public required string LoadAtStart { get; init; }
    public required string LoadAtEnd { get; init; }
    /// <summary>The pipeline's own test split of the training styles.</summary>
    public required Scores InStyle { get; init; }
    public required Scores Validation { get; init; }
    /// <summary>Null while tuning.</summary>
    public Scores? Test { get; init; }
    /// <summary>AUC per held-out style.</summary>
    public required IReadOnlyDictionary<string, double> StyleAuc { get; init; }
    /// <summary>The validation styles scored with flip test-time augmentation, whatever the run's setting: what it would add.</summary>
    public required Scores ValidationMirrored { get; init; }

    public sealed record Scores(double Auc, double Accuracy);
}
