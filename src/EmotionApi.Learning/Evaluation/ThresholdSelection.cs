namespace EmotionApi.Learning.Evaluation;

/// <summary>
/// Chooses the decision threshold from validation scores (never the test set, whose metrics it would
/// flatter), for the rule "Positive when p &gt; threshold".
/// </summary>
/// <remarks>
/// The candidates are one threshold per distinct operating point: 1 (nothing Positive), the midpoint
/// between each two neighbouring distinct scores (a margin on either side, where a threshold equal to
/// a validation score would sit on that image), and 0 (everything above 0 Positive; left out when a
/// score is exactly 0, since no threshold in [0, 1] calls that image Positive). Rules and ties:
/// <list type="bullet">
/// <item>Youden's J: the largest recall + specificity - 1; among equal J, the highest threshold.</item>
/// <item>Target precision: among points with precision at least the target (and something called
/// Positive), the largest recall; among equal recall, the highest threshold (fewest false positives). If
/// none reaches the target: the highest precision, then the largest recall, then the highest threshold,
/// with <see cref="ThresholdChoice.TargetReached"/> false.</item>
/// <item>Target recall: among points with recall at least the target, the highest threshold (fewest
/// false positives). If none reaches it (Positive images scored exactly 0): the lowest threshold, the
/// largest recall there is, with <see cref="ThresholdChoice.TargetReached"/> false.</item>
/// </list>
/// </remarks>
public static class ThresholdSelection
{
    public const string YoudenRule = "youden";
    public const string PrecisionRule = "precision";
    public const string RecallRule = "recall";

    /// <summary>The threshold of largest Youden's J.</summary>
    /// <exception cref="ArgumentException">Bad input (as <see cref="Candidates"/>) or a class missing: J needs both.</exception>
    public static ThresholdChoice Youden(IReadOnlyList<int> labels, IReadOnlyList<float> scores)
    {
        var candidates = Candidates(labels, scores);
        RequireClass(candidates[0].TruePositives + candidates[0].FalseNegatives, "Positive", labels);
        RequireClass(candidates[0].TrueNegatives + candidates[0].FalsePositives, "Negative", labels);
        // Candidates run from the highest threshold down: the first maximum is the highest threshold.
        var best = candidates[0];
        foreach (var point in candidates)
            if (point.YoudenJ > best.YoudenJ) best = point;
        return new ThresholdChoice(YoudenRule, null, true, best);
    }

    /// <summary>The threshold of largest recall whose precision is at least <paramref name="target"/>.</summary>
    /// <exception cref="ArgumentException">Bad input, no Positive image, or a target outside (0, 1].</exception>
    public static ThresholdChoice ForPrecision(IReadOnlyList<int> labels, IReadOnlyList<float> scores, double target)
    {
        CheckTarget(target);
        var candidates = Candidates(labels, scores);
        RequireClass(candidates[0].TruePositives + candidates[0].FalseNegatives, "Positive", labels);
        var callingPositive = candidates.Where(point => point.TruePositives + point.FalsePositives > 0).ToList();

        var reaching = callingPositive.Where(point => point.Precision >= target).ToList();
        if (reaching.Count > 0)
            return new ThresholdChoice(PrecisionRule, target, true, FirstMax(reaching, point => point.Recall));

        var closest = callingPositive.OrderByDescending(point => point.Precision).ThenByDescending(point => point.Recall).First();
        return new ThresholdChoice(PrecisionRule, target, false, closest);
    }

    /// <summary>The highest threshold whose recall is at least <paramref name="target"/>.</summary>
    /// <exception cref="ArgumentException">Bad input, no Positive image, or a target outside (0, 1].</exception>
    public static ThresholdChoice ForRecall(IReadOnlyList<int> labels, IReadOnlyList<float> scores, double target)
    {
        CheckTarget(target);
        var candidates = Candidates(labels, scores);
        RequireClass(candidates[0].TruePositives + candidates[0].FalseNegatives, "Positive", labels);
        var reaching = candidates.FirstOrDefault(point => point.Recall >= target);
        return reaching is not null
            ? new ThresholdChoice(RecallRule, target, true, reaching)
            : new ThresholdChoice(RecallRule, target, false, candidates[^1]);
    }

    /// <summary>The counts at any threshold (for a threshold given by hand).</summary>
    public static OperatingPoint At(IReadOnlyList<int> labels, IReadOnlyList<float> scores, double threshold)
    {
        Check(labels, scores);
        if (!double.IsFinite(threshold)) throw new ArgumentException($"The threshold must be a finite number; got {threshold}.", nameof(threshold));
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var positive = BinaryEvaluation.IsPositive(scores[i], threshold);
            if (labels[i] == 1) { if (positive) tp++; else fn++; }
            else if (positive) fp++;
            else tn++;
        }
        return new OperatingPoint(threshold, tp, fp, tn, fn);
    }

    /// <summary>
    /// Every distinct operating point of the scores, from the highest threshold (nothing Positive) to the
    /// lowest (see the remarks on <see cref="ThresholdSelection"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Empty input, lengths that differ, a label other than 0 or 1, or a score outside [0, 1].</exception>
    public static IReadOnlyList<OperatingPoint> Candidates(IReadOnlyList<int> labels, IReadOnlyList<float> scores)
    {
        Check(labels, scores);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var positives = labels.Count(label => label == 1);
        var negatives = labels.Count - positives;

        var points = new List<OperatingPoint> { new(1, 0, 0, negatives, positives) };
        int tp = 0, fp = 0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            if (labels[order[rank]] == 1) tp++;
            else fp++;
            var score = scores[order[rank]];
            var isLastOfRun = rank == order.Length - 1 || scores[order[rank + 1]] != score;
            if (!isLastOfRun) continue;
            // Below this run of equal scores: midway to the next lower score, or 0 under the lowest.
            double threshold = rank == order.Length - 1 ? 0 : ((double)score + scores[order[rank + 1]]) / 2;
            if (rank == order.Length - 1 && score == 0) break; // nothing in [0, 1] calls a score of 0 Positive
            points.Add(new OperatingPoint(threshold, tp, fp, negatives - fp, positives - tp));
        }
        return points;
    }

    // Candidates are ordered by falling threshold, so the first maximum has the highest threshold.
    private static OperatingPoint FirstMax(List<OperatingPoint> points, Func<OperatingPoint, double> value)
    {
        var best = points[0];
        foreach (var point in points)
            if (value(point) > value(best)) best = point;
        return best;
    }

    private static void CheckTarget(double target)
    {
        if (!(target is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(target), target, "A target precision or recall must be above 0 and at most 1.");
    }

    private static void RequireClass(int count, string name, IReadOnlyList<int> labels)
    {
        if (count == 0) throw new ArgumentException($"The validation scores have no {name} image: the rule needs one.", nameof(labels));
    }

    private static void Check(IReadOnlyList<int> labels, IReadOnlyList<float> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Count == 0) throw new ArgumentException("There are no validation scores.", nameof(labels));
        if (labels.Count != scores.Count) throw new ArgumentException($"{labels.Count} labels but {scores.Count} scores.", nameof(scores));
        if (labels.Any(label => label is not (0 or 1))) throw new ArgumentException("Labels must be 0 (Negative) or 1 (Positive).", nameof(labels));
        for (var i = 0; i < scores.Count; i++)
        {
            if (!(scores[i] is >= 0 and <= 1))
                throw new ArgumentException($"Score {i} is {scores[i]}, outside [0, 1].", nameof(scores));
        }
    }
}
