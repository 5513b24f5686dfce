namespace EmotionApi.Learning.Training;

/// <summary>
/// Inverse class frequency weights (scikit-learn's "balanced": n / (classes * n_c)), so each class
/// carries the same total weight in the loss; the article's data was about 53% Positive.
/// </summary>
internal static class ClassWeights
{
    /// <summary>Weights indexed by class (0 = Negative, 1 = Positive); 1 for a class absent from the labels.</summary>
    public static float[] Balanced(IReadOnlyList<int> labels)
    {
        var counts = new int[2];
        foreach (var label in labels) counts[label]++;
        var weights = new float[2];
        for (var c = 0; c < 2; c++)
            weights[c] = counts[c] == 0 ? 1f : (float)(labels.Count / (2.0 * counts[c]));
        return weights;
    }
}
