namespace EmotionApi.Learning.Evaluation;

/// <summary>
/// Confidence intervals of a test set's metrics: a test set of 300 images leaves several points of
/// uncertainty in its accuracy and ROC AUC, which one number hides.
/// </summary>
public static class ConfidenceIntervals
{
    public const double DefaultLevel = 0.95;
    public const string WilsonMethod = "wilson";
    public const string DeLongMethod = "delong";

    /// <summary>
    /// Wilson's score interval of a proportion (accuracy: correct out of all), as R's
    /// prop.test(correct = FALSE) and statsmodels' proportion_confint(method="wilson") give it. Unlike the
    /// normal approximation it stays inside [0, 1] and keeps its coverage near 0 and 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No trials, successes outside [0, trials], or a level outside (0, 1).</exception>
    public static ConfidenceInterval Wilson(int successes, int trials, double level = DefaultLevel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trials);
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Must be between 0 and the {trials} trials.");
        var z = CriticalValue(level);
        double n = trials, p = successes / n, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var halfWidth = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At 0 or all successes the bound is exactly 0 or 1; rounding would leave it a hair inside.
        var lower = successes == 0 ? 0 : Math.Max(0, centre - halfWidth);
        var upper = successes == trials ? 1 : Math.Min(1, centre + halfWidth);
        return new ConfidenceInterval(lower, upper, level, WilsonMethod);
    }

    /// <summary>
    /// The interval of the ROC AUC from DeLong's variance (DeLong, DeLong and Clarke-Pearson, Biometrics
    /// 44, 1988), computed with Sun and Xu's midrank algorithm (IEEE Signal Processing Letters 21, 2014)
    /// in O(n log n): AUC +- z sqrt(var), clipped to [0, 1], as R's pROC ci.auc(method = "delong").
    /// Deterministic and exact for its normal approximation, where a bootstrap would add resampling
    /// noise, a seed and thousands of passes. Ties count half, as in <see cref="BinaryEvaluation.RocAuc"/>.
    /// </summary>
    /// <remarks>
    /// NaN bounds when a class has fewer than two images (no variance can be estimated). With perfectly
    /// separated scores the variance is 0 and the interval is the point [1, 1]: the method says nothing
    /// more there, a known weakness of DeLong on small, easy test sets.
    /// </remarks>
    /// <param name="labels">0 = Negative, 1 = Positive.</param>
    /// <param name="scores">Higher means more likely Positive.</param>
    public static ConfidenceInterval RocAucDeLong(IReadOnlyList<int> labels, IReadOnlyList<float> scores, double level = DefaultLevel)
    {
        var (auc, variance) = DeLong(labels, scores);
        var z = CriticalValue(level);
        var halfWidth = z * Math.Sqrt(variance);
        return new ConfidenceInterval(Math.Max(0, auc - halfWidth), Math.Min(1, auc + halfWidth), level, DeLongMethod);
    }

    /// <summary>The ROC AUC (Mann-Whitney, ties half) and DeLong's estimate of its variance.</summary>
    public static (double Auc, double Variance) DeLong(IReadOnlyList<int> labels, IReadOnlyList<float> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Count != scores.Count) throw new ArgumentException($"{labels.Count} labels but {scores.Count} scores.", nameof(scores));
        if (labels.Any(label => label is not (0 or 1))) throw new ArgumentException("Labels must be 0 (Negative) or 1 (Positive).", nameof(labels));
        if (scores.Any(score => !float.IsFinite(score))) throw new ArgumentException("Scores must be finite.", nameof(scores));

        var positives = Enumerable.Range(0, labels.Count).Where(i => labels[i] == 1).Select(i => (double)scores[i]).ToArray();
        var negatives = Enumerable.Range(0, labels.Count).Where(i => labels[i] == 0).Select(i => (double)scores[i]).ToArray();
        int m = positives.Length, n = negatives.Length;
        if (m == 0 || n == 0) return (double.NaN, double.NaN);

        var combined = MidRanks([.. positives, .. negatives]);
        var withinPositives = MidRanks(positives);
        var withinNegatives = MidRanks(negatives);

        // Structural components: V10 = share of negatives each positive outranks; V01 = share of
        // positives each negative is outranked by (ties half).
        var v10 = new double[m];
        var v01 = new double[n];
        for (var i = 0; i < m; i++) v10[i] = (combined[i] - withinPositives[i]) / n;
        for (var j = 0; j < n; j++) v01[j] = 1 - (combined[m + j] - withinNegatives[j]) / m;
        var auc = v10.Average();
        if (m < 2 || n < 2) return (auc, double.NaN);
        return (auc, SampleVariance(v10, auc) / m + SampleVariance(v01, auc) / n);
    }

    /// <summary>z with P[-z &lt; Z &lt; z] = level.</summary>
    private static double CriticalValue(double level)
    {
        if (!(level is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be strictly between 0 and 1.");
        return StandardNormal.Quantile(1 - (1 - level) / 2);
    }

    /// <summary>1-based ranks in ascending order, tied values sharing the mean of their ranks.</summary>
    private static double[] MidRanks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort(values.ToArray(), order);
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    private static double SampleVariance(double[] values, double mean) =>
        values.Sum(value => (value - mean) * (value - mean)) / (values.Length - 1);
}
