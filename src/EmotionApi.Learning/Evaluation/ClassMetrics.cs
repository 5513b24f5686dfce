namespace EmotionApi.Learning.Evaluation;

/// <summary>One row of scikit-learn's classification_report (zero_division=0).</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, int Support);
