using System.Text.Json.Serialization;

namespace EmotionApi.Learning.Evaluation;

/// <summary>
/// A model's metrics on its test set, as <see cref="BinaryEvaluation.Evaluate"/> computes them. What a report of an earlier
/// version lacks is left out when it is written again, so such records round-trip unchanged.
/// </summary>
public sealed record EvaluationReport(
    int TestSize,
    double Threshold,
    double Accuracy,
    double NaiveBaselineAccuracy,
    double Loss,
    ConfusionMatrix Confusion,
    IReadOnlyList<ClassMetrics> Classes,
    double RocAuc,
    IReadOnlyList<RocPoint> RocCurve)
{
    /// <summary>
    /// Wilson's 95% interval of <see cref="Accuracy"/>. Null only in a report stored by a version without intervals;
    /// <see cref="WithCountStatistics"/> fills it in from the counts.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConfidenceInterval? AccuracyInterval { get; init; }

    /// <summary>
    /// DeLong's 95% interval of <see cref="RocAuc"/>. Null when a class has fewer than two test images (no variance
    /// can be estimated), and in a report stored by a version without intervals (it needs the per-image scores,
    /// which such a version did not keep).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConfidenceInterval? RocAucInterval { get; init; }

    /// <summary>
    /// The one-sided exact binomial p-value of "the accuracy beats the naive baseline": the chance of at least this many
    /// right answers from a classifier right with probability <see cref="NaiveBaselineAccuracy"/>. Null only in a report
    /// stored by a version without it (<see cref="WithCountStatistics"/> fills it in).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? AccuracyPValue { get; init; }

    /// <summary>
    /// How many test images have a near duplicate (perceptual hash within the run's near distance) among the images the
    /// model learned from or was chosen with (the training and validation parts): test images that flatter the metrics.
    /// Null when the run did not count them (a version before the audit).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TestImagesWithNearDuplicateInTraining { get; init; }

    /// <summary>Test images labelled right: the confusion matrix's diagonal.</summary>
    [JsonIgnore]
    public int Correct => Confusion.Counts[0][0] + Confusion.Counts[1][1];

    /// <summary>classification_report's "macro avg": the unweighted mean of each class's metrics; support is the total.</summary>
    public ClassMetrics MacroAverage => Average("macro avg", _ => 1);

    /// <summary>classification_report's "weighted avg": the mean weighted by each class's support.</summary>
    public ClassMetrics WeightedAverage => Average("weighted avg", row => row.Support);

    /// <summary>
    /// This report with what its counts determine filled in where a report stored by an earlier version lacks it: the
    /// accuracy interval and the p-value against the naive baseline. The ROC AUC interval stays as it is (null there).
    /// </summary>
    public EvaluationReport WithCountStatistics() => this with
    {
        AccuracyInterval = AccuracyInterval ?? (TestSize > 0 ? ConfidenceIntervals.Wilson(Correct, TestSize) : null),
        AccuracyPValue = AccuracyPValue ?? BinomialTest.UpperTailPValue(Correct, TestSize, NaiveBaselineAccuracy),
    };

    private ClassMetrics Average(string name, Func<ClassMetrics, double> weight)
    {
        var total = Classes.Sum(weight);
        double Mean(Func<ClassMetrics, double> metric) => total == 0 ? 0 : Classes.Sum(row => weight(row) * metric(row)) / total;
        return new ClassMetrics(name, Mean(row => row.Precision), Mean(row => row.Recall), Mean(row => row.F1), Classes.Sum(row => row.Support));
    }
}
