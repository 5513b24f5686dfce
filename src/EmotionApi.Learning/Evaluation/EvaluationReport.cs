namespace EmotionApi.Learning.Evaluation;

/// <summary>A model's metrics on its test set, as <see cref="BinaryEvaluation.Evaluate"/> computes them.</summary>
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
    /// <summary>classification_report's "macro avg": the unweighted mean of each class's metrics; support is the total.</summary>
    public ClassMetrics MacroAverage => Average("macro avg", _ => 1);

    /// <summary>classification_report's "weighted avg": the mean weighted by each class's support.</summary>
    public ClassMetrics WeightedAverage => Average("weighted avg", row => row.Support);

    private ClassMetrics Average(string name, Func<ClassMetrics, double> weight)
    {
        var total = Classes.Sum(weight);
        double Mean(Func<ClassMetrics, double> metric) => total == 0 ? 0 : Classes.Sum(row => weight(row) * metric(row)) / total;
        return new ClassMetrics(name, Mean(row => row.Precision), Mean(row => row.Recall), Mean(row => row.F1), Classes.Sum(row => row.Support));
    }
}
