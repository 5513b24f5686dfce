using EmotionApi.Learning.Evaluation;

namespace EmotionApi.Learning.Tests.Evaluation;

public class BinaryEvaluationTests
{
    private const int Precision = 6;

    [Fact]
    public void Roc_curve_matches_the_scikit_learn_documentation_example()
    {
        // sklearn.metrics.roc_curve docs: y = [1, 1, 2, 2], scores = [0.1, 0.4, 0.35, 0.8], pos_label=2.
        int[] labels = [0, 0, 1, 1];
        float[] scores = [0.1f, 0.4f, 0.35f, 0.8f];

        var curve = BinaryEvaluation.RocCurve(labels, scores);

        Assert.Equal([0, 0, 0.5, 0.5, 1], curve.Select(point => point.FalsePositiveRate));
        Assert.Equal([0, 0.5, 0.5, 1, 1], curve.Select(point => point.TruePositiveRate));
        Assert.Equal(double.PositiveInfinity, curve[0].Threshold);
        AssertClose([0.8, 0.4, 0.35, 0.1], curve.Skip(1).Select(point => point.Threshold));
        Assert.Equal(0.75, BinaryEvaluation.RocAuc(labels, scores), Precision);
    }

    [Fact]
    public void Tied_scores_collapse_into_one_point_and_count_half_in_the_area()
    {
        // Sorted: 0.9(P) | 0.6(N) 0.6(P) | 0.2(N) 0.2(P) | 0.1(N). Pairs won: 3 + 2.5 + 1.5 = 7 of 9.
        int[] labels = [0, 0, 1, 1, 1, 0];
        float[] scores = [0.2f, 0.6f, 0.6f, 0.9f, 0.2f, 0.1f];

        var full = BinaryEvaluation.RocCurve(labels, scores, dropIntermediate: false);
        var dropped = BinaryEvaluation.RocCurve(labels, scores);

        AssertClose([0, 0, 1 / 3.0, 2 / 3.0, 1], full.Select(point => point.FalsePositiveRate));
        AssertClose([0, 1 / 3.0, 2 / 3.0, 1, 1], full.Select(point => point.TruePositiveRate));
        AssertClose([0.9, 0.6, 0.2, 0.1], full.Skip(1).Select(point => point.Threshold));
        // (1/3, 2/3) lies on the segment from (0, 1/3) to (2/3, 1): drop_intermediate removes it.
        AssertClose([0, 0, 2 / 3.0, 1], dropped.Select(point => point.FalsePositiveRate));
        AssertClose([0, 1 / 3.0, 1, 1], dropped.Select(point => point.TruePositiveRate));
        AssertClose([0.9, 0.2, 0.1], dropped.Skip(1).Select(point => point.Threshold));
        Assert.Equal(7 / 9.0, BinaryEvaluation.RocAuc(labels, scores), Precision);
    }

    [Fact]
    public void All_scores_equal_give_the_diagonal_and_an_area_of_one_half()
    {
        int[] labels = [0, 1, 0, 1, 1];
        float[] scores = [0.5f, 0.5f, 0.5f, 0.5f, 0.5f];

        var curve = BinaryEvaluation.RocCurve(labels, scores);

        Assert.Equal([new RocPoint(0, 0, double.PositiveInfinity), new RocPoint(1, 1, 0.5)], curve);
        Assert.Equal(0.5, BinaryEvaluation.RocAuc(labels, scores));
    }

    [Fact]
    public void Area_is_the_share_of_positive_negative_pairs_ranked_right_ties_counting_half()
    {
        var random = new Random(7);
        var labels = Enumerable.Range(0, 300).Select(_ => random.Next(2)).ToArray();
        // One decimal: many ties, within and across classes.
        var scores = labels.Select(label => (float)Math.Round(Math.Clamp(0.35 * label + random.NextDouble() * 0.7, 0, 1), 1)).ToArray();

        double wins = 0, pairs = 0;
        for (var i = 0; i < labels.Length; i++)
        for (var j = 0; j < labels.Length; j++)
        {
            if (labels[i] != 1 || labels[j] != 0) continue;
            pairs++;
            wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }

        Assert.Equal(wins / pairs, BinaryEvaluation.RocAuc(labels, scores), 12);
    }

    [Fact]
    public void A_perfect_ranking_has_area_one_and_a_reversed_one_area_zero()
    {
        int[] labels = [0, 0, 1, 1];

        Assert.Equal(1.0, BinaryEvaluation.RocAuc(labels, [0.1f, 0.2f, 0.8f, 0.9f]));
        Assert.Equal(0.0, BinaryEvaluation.RocAuc(labels, [0.9f, 0.8f, 0.2f, 0.1f]));
    }

    [Fact]
    public void With_one_class_only_the_area_is_undefined_and_the_missing_rate_is_NaN()
    {
        int[] labels = [1, 1, 1];
        float[] scores = [0.2f, 0.7f, 0.9f];

        var curve = BinaryEvaluation.RocCurve(labels, scores);

        Assert.True(double.IsNaN(BinaryEvaluation.RocAuc(labels, scores)));
        Assert.All(curve, point => Assert.True(double.IsNaN(point.FalsePositiveRate)));
        // (2/3) lies between 1/3 and 1 on a straight line: dropped as an intermediate point.
        AssertClose([0, 1 / 3.0, 1], curve.Select(point => point.TruePositiveRate));
    }

    [Fact]
    public void Evaluate_computes_every_metric_by_the_articles_definitions()
    {
        // Predicted Positive when p > 0.5: p = 0.5 (images 2 and 6) counts as Negative.
        int[] labels = [0, 0, 0, 1, 1, 1, 1, 0];
        float[] probabilities = [0.1f, 0.6f, 0.5f, 0.7f, 0.4f, 0.9f, 0.5f, 0.2f];

        var report = BinaryEvaluation.Evaluate(labels, probabilities);

        Assert.Equal(8, report.TestSize);
        Assert.Equal(0.5, report.Threshold);
        Assert.Equal(new[] { new[] { 3, 1 }, new[] { 2, 2 } }, report.Confusion.Counts);
        Assert.Equal(new[] { new[] { 0.75, 0.25 }, new[] { 0.5, 0.5 } }, report.Confusion.NormalizedByTrueClass);
        Assert.Equal(5 / 8.0, report.Accuracy, Precision);
        Assert.Equal(0.5, report.NaiveBaselineAccuracy, Precision);
        AssertMetrics(new ClassMetrics("Negative", 3 / 5.0, 3 / 4.0, 6 / 9.0, 4), report.Classes[0]);
        AssertMetrics(new ClassMetrics("Positive", 2 / 3.0, 2 / 4.0, 4 / 7.0, 4), report.Classes[1]);
        AssertMetrics(new ClassMetrics("macro avg", (3 / 5.0 + 2 / 3.0) / 2, 0.625, (6 / 9.0 + 4 / 7.0) / 2, 8), report.MacroAverage);
        // Positive-negative pairs ranked right: 0.7 and 0.9 beat all 4, 0.4 beats 2, 0.5 beats 2 and ties 1.
        Assert.Equal(12.5 / 16, report.RocAuc, Precision);
        Assert.Equal(BinaryEvaluation.RocCurve(labels, probabilities), report.RocCurve);
    }

    [Fact]
    public void Evaluate_weights_the_averages_by_support_and_reports_the_majority_baseline()
    {
        int[] labels = [1, 1, 1, 0];
        float[] probabilities = [0.9f, 0.8f, 0.3f, 0.6f];

        var report = BinaryEvaluation.Evaluate(labels, probabilities);

        Assert.Equal(new[] { new[] { 0, 1 }, new[] { 1, 2 } }, report.Confusion.Counts);
        Assert.Equal(0.5, report.Accuracy, Precision);
        Assert.Equal(0.75, report.NaiveBaselineAccuracy, Precision);
        AssertMetrics(new ClassMetrics("Negative", 0, 0, 0, 1), report.Classes[0]);
        AssertMetrics(new ClassMetrics("Positive", 2 / 3.0, 2 / 3.0, 2 / 3.0, 3), report.Classes[1]);
        AssertMetrics(new ClassMetrics("macro avg", 1 / 3.0, 1 / 3.0, 1 / 3.0, 4), report.MacroAverage);
        AssertMetrics(new ClassMetrics("weighted avg", 0.5, 0.5, 0.5, 4), report.WeightedAverage);
        // -(ln 0.9 + ln 0.8 + ln 0.3 + ln 0.4) / 4
        Assert.Equal(0.612191940, report.Loss, Precision);
        Assert.Equal(2 / 3.0, report.RocAuc, Precision);
    }

    [Fact]
    public void A_class_never_predicted_has_zero_precision_and_F1_not_an_error()
    {
        var report = BinaryEvaluation.Evaluate([0, 1, 1], [0.1f, 0.2f, 0.3f]);

        AssertMetrics(new ClassMetrics("Positive", 0, 0, 0, 2), report.Classes[1]);
        AssertMetrics(new ClassMetrics("Negative", 1 / 3.0, 1, 0.5, 1), report.Classes[0]);
    }

    [Fact]
    public void A_class_absent_from_the_test_labels_gets_a_row_of_zeros_and_an_undefined_area()
    {
        var report = BinaryEvaluation.Evaluate([1, 1, 1, 1], [0.9f, 0.2f, 0.7f, 0.6f]);

        Assert.Equal(new[] { new[] { 0, 0 }, new[] { 1, 3 } }, report.Confusion.Counts);
        Assert.Equal(new[] { new[] { 0.0, 0.0 }, new[] { 0.25, 0.75 } }, report.Confusion.NormalizedByTrueClass);
        Assert.Equal(0.75, report.Accuracy);
        Assert.Equal(1.0, report.NaiveBaselineAccuracy);
        Assert.True(double.IsNaN(report.RocAuc));
    }

    [Fact]
    public void Loss_clips_probabilities_to_Keras_epsilon()
    {
        // A confident mistake costs -ln(1e-7), not infinity; a confident hit costs -ln(1 - 1e-7).
        Assert.Equal(16.118095651, BinaryEvaluation.BinaryCrossEntropy([1], [0f]), Precision);
        Assert.Equal(1.00000005e-7, BinaryEvaluation.BinaryCrossEntropy([1], [1f]), 15);
        Assert.Equal((16.118095651 + 1.00000005e-7) / 2, BinaryEvaluation.BinaryCrossEntropy([0, 0], [1f, 0f]), Precision);
    }

    [Fact]
    public void Bad_input_is_refused_with_a_reason()
    {
        Assert.StartsWith("There is nothing to evaluate", Assert.Throws<ArgumentException>(() => BinaryEvaluation.Evaluate([], [])).Message);
        Assert.StartsWith("2 labels but 1 positiveProbabilities", Assert.Throws<ArgumentException>(() => BinaryEvaluation.Evaluate([0, 1], [0.5f])).Message);
        Assert.StartsWith("Labels must be 0 (Negative) or 1 (Positive)", Assert.Throws<ArgumentException>(() => BinaryEvaluation.Evaluate([0, 2], [0.5f, 0.5f])).Message);
        Assert.StartsWith("Probability 1 is 1.5, outside [0, 1]", Assert.Throws<ArgumentException>(() => BinaryEvaluation.Evaluate([0, 1], [0.5f, 1.5f])).Message);
        Assert.StartsWith("Probability 0 is NaN", Assert.Throws<ArgumentException>(() => BinaryEvaluation.Evaluate([0, 1], [float.NaN, 0.5f])).Message);
        Assert.Contains("scores must be finite", Assert.Throws<ArgumentException>(() => BinaryEvaluation.RocAuc([0, 1], [float.PositiveInfinity, 0.5f])).Message);
    }

    private static void AssertClose(IEnumerable<double> expected, IEnumerable<double> actual)
    {
        var expectedList = expected.ToList();
        var actualList = actual.ToList();
        Assert.Equal(expectedList.Count, actualList.Count);
        for (var i = 0; i < expectedList.Count; i++)
            Assert.Equal(expectedList[i], actualList[i], Precision);
    }

    private static void AssertMetrics(ClassMetrics expected, ClassMetrics actual)
    {
        Assert.Equal(expected.Class, actual.Class);
        Assert.Equal(expected.Precision, actual.Precision, Precision);
        Assert.Equal(expected.Recall, actual.Recall, Precision);
        Assert.Equal(expected.F1, actual.F1, Precision);
        Assert.Equal(expected.Support, actual.Support);
    }
}
