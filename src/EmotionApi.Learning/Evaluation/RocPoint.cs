namespace EmotionApi.Learning.Evaluation;

/// <summary>A point of the ROC curve; semantics of scikit-learn's roc_curve (the first threshold is +infinity).</summary>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);
