using EmotionApi.Learning.Data;

namespace EmotionApi.Learning.Evaluation;

/// <summary>
/// Metrics of a binary classifier on a test set, each defined as the article's tools define it
/// (Keras' accuracy and loss, scikit-learn's confusion_matrix, classification_report, roc_curve
/// and roc_auc_score). Labels are class indices: 0 = Negative, 1 = Positive.
/// </summary>
public static class BinaryEvaluation
{
    /// <summary>Keras' epsilon: probabilities are clipped to [1e-7, 1 - 1e-7] before the logarithm.</summary>
    public const double ProbabilityEpsilon = 1e-7;

    private static readonly string[] ClassNames = Enum.GetNames<EmotionClass>();

    /// <summary>
    /// The decision rule everywhere (evaluation and prediction): Positive when p &gt; threshold, Keras'
    /// binary_accuracy rule and the article's serving rule; p = threshold is Negative.
    /// </summary>
    public static bool IsPositive(double positiveProbability, double threshold) => positiveProbability > threshold;

    /// <summary>
    /// Evaluates probabilities of class 1 (Positive) against labels (0/1) at a threshold (the article: 0.5).
    /// An image is predicted Positive when p &gt; threshold, Keras' binary_accuracy rule and the article's
    /// serving rule; p = threshold is Negative.
    /// </summary>
    /// <remarks>
    /// With one class only, <see cref="EvaluationReport.RocAuc"/> is NaN (undefined; scikit-learn raises). Every report carries
    /// Wilson's interval of the accuracy, DeLong's of the AUC (null below two images of a class) and the p-value of the
    /// accuracy against the naive baseline (docs/evaluation-statistics.md).
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// Empty input, lengths that differ, a label other than 0 or 1, or a probability outside [0, 1] (or NaN).
    /// </exception>
    public static EvaluationReport Evaluate(IReadOnlyList<int> labels, IReadOnlyList<float> positiveProbabilities, double threshold = 0.5)
    {
        Check(labels, positiveProbabilities, nameof(positiveProbabilities));
        if (!double.IsFinite(threshold)) throw new ArgumentException($"The threshold must be a finite number; got {threshold}.", nameof(threshold));
        for (var i = 0; i < positiveProbabilities.Count; i++)
        {
            if (positiveProbabilities[i] is < 0 or > 1 || float.IsNaN(positiveProbabilities[i]))
                throw new ArgumentException($"Probability {i} is {positiveProbabilities[i]}, outside [0, 1].", nameof(positiveProbabilities));
        }

        var predictions = positiveProbabilities.Select(p => IsPositive(p, threshold) ? 1 : 0).ToArray();
        var confusion = Confusion(labels, predictions);
        var counts = confusion.Counts;
        var n = labels.Count;
        var positives = labels.Count(label => label == 1);
        var correct = counts[0][0] + counts[1][1];
        var naiveBaseline = (double)Math.Max(positives, n - positives) / n;
        var aucInterval = ConfidenceIntervals.RocAucDeLong(labels, positiveProbabilities);

        return new EvaluationReport(
            TestSize: n,
            Threshold: threshold,
            Accuracy: (double)correct / n,
            NaiveBaselineAccuracy: naiveBaseline,
            Loss: BinaryCrossEntropy(labels, positiveProbabilities),
            Confusion: confusion,
            Classes: ClassificationReport(counts),
            RocAuc: RocAuc(labels, positiveProbabilities),
            RocCurve: RocCurve(labels, positiveProbabilities))
        {
            AccuracyInterval = ConfidenceIntervals.Wilson(correct, n),
            // NaN bounds: a class with fewer than two images leaves DeLong's variance undefined.
            RocAucInterval = double.IsNaN(aucInterval.Lower) ? null : aucInterval,
            AccuracyPValue = BinomialTest.UpperTailPValue(correct, n, naiveBaseline),
        };
    }

    /// <summary>
    /// Keras' binary cross-entropy of probabilities: the mean of -[y log p + (1 - y) log(1 - p)],
    /// with p clipped to [<see cref="ProbabilityEpsilon"/>, 1 - <see cref="ProbabilityEpsilon"/>].
    /// </summary>
    public static double BinaryCrossEntropy(IReadOnlyList<int> labels, IReadOnlyList<float> positiveProbabilities)
    {
        Check(labels, positiveProbabilities, nameof(positiveProbabilities));
        var sum = 0.0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = Math.Clamp((double)positiveProbabilities[i], ProbabilityEpsilon, 1 - ProbabilityEpsilon);
            sum -= labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }
        return sum / labels.Count;
    }

    /// <summary>scikit-learn's confusion_matrix for predicted labels, with its normalize="true" form.</summary>
    public static ConfusionMatrix Confusion(IReadOnlyList<int> labels, IReadOnlyList<int> predictions)
    {
        Check(labels, predictions, nameof(predictions));
        if (predictions.Any(prediction => prediction is not (0 or 1)))
            throw new ArgumentException("Predictions must be 0 (Negative) or 1 (Positive).", nameof(predictions));
        var counts = new[] { new int[2], new int[2] };
        for (var i = 0; i < labels.Count; i++) counts[labels[i]][predictions[i]]++;
        var normalized = counts
            .Select(row => row.Sum() is var total and > 0 ? row.Select(count => (double)count / total).ToArray() : new double[2])
            .ToArray();
        return new ConfusionMatrix(counts, normalized);
    }

    /// <summary>
    /// The ROC curve as scikit-learn's roc_curve(y_true, y_score) gives it (drop_intermediate=True):
    /// one point per distinct score, highest first, tied scores collapsed into one point; points on a
    /// straight segment between their neighbours dropped; then (0, 0) with threshold +infinity
    /// prepended. A rate whose class is absent from <paramref name="labels"/> is NaN, as there.
    /// </summary>
    public static IReadOnlyList<RocPoint> RocCurve(IReadOnlyList<int> labels, IReadOnlyList<float> scores, bool dropIntermediate = true)
    {
        Check(labels, scores, nameof(scores));
        CheckScores(scores);
        var (falsePositives, truePositives, thresholds) = CountsPerDistinctScore(labels, scores);

        var kept = Enumerable.Range(0, thresholds.Length);
        if (dropIntermediate && thresholds.Length > 2)
        {
            // np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]: keep the ends and every corner.
            kept = kept.Where(i => i == 0 || i == thresholds.Length - 1
                || falsePositives[i + 1] - 2 * falsePositives[i] + falsePositives[i - 1] != 0
                || truePositives[i + 1] - 2 * truePositives[i] + truePositives[i - 1] != 0);
        }

        double negativeCount = falsePositives[^1], positiveCount = truePositives[^1];
        var curve = new List<RocPoint> { new(0 / negativeCount, 0 / positiveCount, double.PositiveInfinity) };
        curve.AddRange(kept.Select(i => new RocPoint(falsePositives[i] / negativeCount, truePositives[i] / positiveCount, thresholds[i])));
        return curve;
    }

    /// <summary>
    /// scikit-learn's roc_auc_score: the trapezoidal area under the full ROC curve, so tied scores
    /// count half (the Mann-Whitney statistic). NaN when the labels hold one class only (undefined).
    /// </summary>
    public static double RocAuc(IReadOnlyList<int> labels, IReadOnlyList<float> scores)
    {
        Check(labels, scores, nameof(scores));
        CheckScores(scores);
        var (falsePositives, truePositives, _) = CountsPerDistinctScore(labels, scores);
        double negativeCount = falsePositives[^1], positiveCount = truePositives[^1];
        if (negativeCount == 0 || positiveCount == 0) return double.NaN;

        // Trapezoids in counts, from (0, 0); divided once at the end for exactness.
        double area = 0, previousFalse = 0, previousTrue = 0;
        for (var i = 0; i < falsePositives.Length; i++)
        {
            area += (falsePositives[i] - previousFalse) * (truePositives[i] + previousTrue) / 2;
            previousFalse = falsePositives[i];
            previousTrue = truePositives[i];
        }
        return area / (negativeCount * positiveCount);
    }

    /// <summary>
    /// scikit-learn's _binary_clf_curve: scores sorted high to low; at the last index of each run of
    /// equal scores, the false and true positives counted so far and that score.
    /// </summary>
    private static (long[] FalsePositives, long[] TruePositives, double[] Thresholds) CountsPerDistinctScore(
        IReadOnlyList<int> labels, IReadOnlyList<float> scores)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var falsePositives = new List<long>();
        var truePositives = new List<long>();
        var thresholds = new List<double>();
        long truePositive = 0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            truePositive += labels[order[rank]];
            var isLastOfRun = rank == order.Length - 1 || scores[order[rank + 1]] != scores[order[rank]];
            if (!isLastOfRun) continue;
            truePositives.Add(truePositive);
            falsePositives.Add(rank + 1 - truePositive);
            thresholds.Add(scores[order[rank]]);
        }
        return (falsePositives.ToArray(), truePositives.ToArray(), thresholds.ToArray());
    }

    private static IReadOnlyList<ClassMetrics> ClassificationReport(int[][] counts)
    {
        var rows = new List<ClassMetrics>(2);
        for (var label = 0; label < 2; label++)
        {
            var truePositive = counts[label][label];
            var support = counts[label][0] + counts[label][1];
            var predicted = counts[0][label] + counts[1][label];
            var falseNegative = support - truePositive;
            var falsePositive = predicted - truePositive;
            rows.Add(new ClassMetrics(
                ClassNames[label],
                Precision: Ratio(truePositive, predicted),
                Recall: Ratio(truePositive, support),
                // scikit-learn's form of the harmonic mean, 0 when there is nothing to divide.
                F1: Ratio(2.0 * truePositive, 2.0 * truePositive + falsePositive + falseNegative),
                Support: support));
        }
        return rows;

        static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;
    }

    private static void Check<T>(IReadOnlyList<int> labels, IReadOnlyList<T> values, string valuesName)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values, valuesName);
        if (labels.Count == 0) throw new ArgumentException("There is nothing to evaluate: no labels.", nameof(labels));
        if (labels.Count != values.Count)
            throw new ArgumentException($"{labels.Count} labels but {values.Count} {valuesName}.", valuesName);
        if (labels.Any(label => label is not (0 or 1)))
            throw new ArgumentException("Labels must be 0 (Negative) or 1 (Positive).", nameof(labels));
    }

    private static void CheckScores(IReadOnlyList<float> scores)
    {
        for (var i = 0; i < scores.Count; i++)
        {
            if (!float.IsFinite(scores[i]))
                throw new ArgumentException($"Score {i} is {scores[i]}; scores must be finite.", nameof(scores));
        }
    }
}
