using EmotionApi.Learning.Evaluation;

namespace EmotionApi.Learning.Tests.Evaluation;

/// <summary>Every evaluation carries its intervals and p-value, checked against R on the same data.</summary>
public class EvaluationStatisticsTests
{
    // 40 images: label i = 1 when (7i mod 10) < 6 (24 Positive), score i = (23i mod 64) / 64 (distinct, exact in float).
    // R 4.2.2, pROC 1.18: 21 correct at 0.5; prop.test(21, 40, correct = FALSE)$conf.int = 0.3749736210669247,
    // 0.6706452988732110; binom.test(21, 40, 0.6, alternative = "greater")$p.value = 0.8702342941780973;
    // ci.auc(roc(label, score, direction = "<"), method = "delong") = 0.3890188735112403, 0.7568144598220929.
    private static readonly int[] Labels = Enumerable.Range(0, 40).Select(i => i * 7 % 10 < 6 ? 1 : 0).ToArray();
    private static readonly float[] Scores = Enumerable.Range(0, 40).Select(i => i * 23 % 64 / 64f).ToArray();

    [Fact]
    public void An_evaluation_carries_wilson_delong_and_the_binomial_p_value_as_R_computes_them()
    {
        var report = BinaryEvaluation.Evaluate(Labels, Scores);

        Assert.Equal((40, 21, 0.6), (report.TestSize, report.Correct, report.NaiveBaselineAccuracy));
        Assert.Equal(0.3749736210669247, report.AccuracyInterval!.Lower, 12);
        Assert.Equal(0.6706452988732110, report.AccuracyInterval.Upper, 12);
        Assert.Equal(("wilson", 0.95), (report.AccuracyInterval.Method, report.AccuracyInterval.Level));
        Assert.Equal(0.3890188735112403, report.RocAucInterval!.Lower, 10);
        Assert.Equal(0.7568144598220929, report.RocAucInterval.Upper, 10);
        Assert.Equal(("delong", 0.95), (report.RocAucInterval.Method, report.RocAucInterval.Level));
        Assert.Equal(0.8702342941780973, report.AccuracyPValue!.Value, 12);
    }

    [Fact]
    public void With_one_image_of_a_class_the_auc_interval_is_null_and_the_rest_stands()
    {
        var report = BinaryEvaluation.Evaluate([1, 0, 0, 0], [0.9f, 0.2f, 0.6f, 0.1f]);

        Assert.Null(report.RocAucInterval);
        Assert.Equal(ConfidenceIntervals.Wilson(3, 4), report.AccuracyInterval);
        Assert.Equal(BinomialTest.UpperTailPValue(3, 4, 0.75), report.AccuracyPValue);
    }

    [Fact]
    public void A_report_stored_without_statistics_gains_what_its_counts_determine()
    {
        // A report as the previous version stored it: the same numbers, no interval, no p-value.
        var full = BinaryEvaluation.Evaluate(Labels, Scores);
        var stored = full with { AccuracyInterval = null, RocAucInterval = null, AccuracyPValue = null };

        var completed = stored.WithCountStatistics();

        Assert.Equal(full.AccuracyInterval, completed.AccuracyInterval);
        Assert.Equal(full.AccuracyPValue, completed.AccuracyPValue);
        // The AUC's interval needs the per-image scores, which such a report never kept.
        Assert.Null(completed.RocAucInterval);
        // A complete report is left as it is.
        Assert.Equal(full, full.WithCountStatistics());
    }

    [Fact]
    public void Scored_images_evaluate_at_any_threshold()
    {
        var scored = new ScoredImages(Labels, Scores);

        Assert.Equivalent(BinaryEvaluation.Evaluate(Labels, Scores, 0.3), scored.Evaluate(0.3), strict: true);
        Assert.True(scored.HasBothClasses);
        Assert.False(new ScoredImages([1, 1], [0.2f, 0.4f]).HasBothClasses);
    }
}
