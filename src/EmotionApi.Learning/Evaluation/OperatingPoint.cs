namespace EmotionApi.Learning.Evaluation;

/// <summary>
/// What the decision rule "Positive when p &gt; <see cref="Threshold"/>" (<see cref="BinaryEvaluation.IsPositive"/>)
/// does on a set of labelled scores. A rate whose denominator is zero is NaN.
/// </summary>
public sealed record OperatingPoint(double Threshold, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    /// <summary>Sensitivity, the true-positive rate: TP / (TP + FN).</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>The true-negative rate: TN / (TN + FP).</summary>
    public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);

    /// <summary>TP / (TP + FP); NaN when nothing is called Positive.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>Youden's J = recall + specificity - 1: the height of the point above the ROC diagonal.</summary>
    public double YoudenJ => Recall + Specificity - 1;

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;
}
