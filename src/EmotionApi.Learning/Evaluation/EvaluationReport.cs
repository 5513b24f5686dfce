namespace EmotionApi.Learning.Evaluation;

/// <summary>A point of the ROC curve; semantics of scikit-learn's roc_curve (the first threshold is +infinity).</summary>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);

/// <summary>Rows are true classes, columns predicted classes, both in class index order (Negative, Positive).</summary>
public sealed record ConfusionMatrix(int[][] Counts, double[][] NormalizedByTrueClass);

/// <summary>One row of scikit-learn's classification_report.</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, int Support);

public sealed record EvaluationReport(
    int TestSize,
    double Threshold,
    double Accuracy,
    double NaiveBaselineAccuracy,
    double Loss,
    ConfusionMatrix Confusion,
    IReadOnlyList<ClassMetrics> Classes,
    double RocAuc,
    IReadOnlyList<RocPoint> RocCurve);

public static class BinaryEvaluation
{
    /// <summary>
    /// Evaluates probabilities of class 1 (Positive) against labels (0/1) at a threshold (the seed: 0.5,
    /// positive when p &gt; threshold... see implementation for the exact rule).
    /// </summary>
    public static EvaluationReport Evaluate(IReadOnlyList<int> labels, IReadOnlyList<float> positiveProbabilities, double threshold = 0.5)
        => throw new NotImplementedException();
}
