namespace EmotionApi.Learning.Evaluation;

/// <summary>
/// Labels (0 = Negative, 1 = Positive) and the model's probabilities of Positive for a set of images, index-aligned: kept
/// with a run's results so that a threshold can be chosen later from the validation part and the test set evaluated at it.
/// </summary>
public sealed record ScoredImages(IReadOnlyList<int> Labels, IReadOnlyList<float> Scores)
{
    public int Count => Labels.Count;

    public bool HasBothClasses => Labels.Contains(0) && Labels.Contains(1);

    /// <summary>Metrics at <paramref name="threshold"/> (<see cref="BinaryEvaluation.Evaluate"/>).</summary>
    public EvaluationReport Evaluate(double threshold) => BinaryEvaluation.Evaluate(Labels, Scores, threshold);
}
