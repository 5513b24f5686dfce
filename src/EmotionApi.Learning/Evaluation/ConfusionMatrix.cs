namespace EmotionApi.Learning.Evaluation;

/// <summary>Rows are true classes, columns predicted classes, both in class index order (Negative, Positive).</summary>
/// <param name="NormalizedByTrueClass">
/// Each row divided by its sum (the article's normalised matrix: rows sum to 1); a class absent from
/// the evaluated labels has a row of zeros, as scikit-learn's normalize="true" gives.
/// </param>
public sealed record ConfusionMatrix(int[][] Counts, double[][] NormalizedByTrueClass);
