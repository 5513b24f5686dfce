using EmotionApi.Learning.Evaluation;

namespace EmotionApi.Learning.Tests.Evaluation;

public class ConfidenceIntervalsTests
{
    // Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
    // Statistics in Medicine 17 (1998), Table II, method 3 (score interval without continuity correction);
    // to 10 places from R 4.2.2: prop.test(x, n, correct = FALSE)$conf.int.
    [Theory]
    [InlineData(81, 263, 0.2552885199, 0.3662095770)]
    [InlineData(15, 148, 0.0623863995, 0.1604872417)]
    [InlineData(0, 20, 0.0, 0.1611251581)]
    [InlineData(1, 29, 0.0061132143, 0.1717552188)]
    public void Wilson_matches_Newcombes_published_examples(int successes, int trials, double lower, double upper)
    {
        var interval = ConfidenceIntervals.Wilson(successes, trials);

        Assert.Equal(lower, interval.Lower, 9);
        Assert.Equal(upper, interval.Upper, 9);
        Assert.Equal(0.95, interval.Level);
        Assert.Equal("wilson", interval.Method);
    }

    [Fact]
    public void Wilson_of_all_correct_reaches_1_and_narrows_as_the_level_falls()
    {
        var all = ConfidenceIntervals.Wilson(20, 20);
        var wide = ConfidenceIntervals.Wilson(50, 100, 0.99);
        var narrow = ConfidenceIntervals.Wilson(50, 100, 0.80);

        Assert.Equal(1.0, all.Upper);
        Assert.Equal(1.0, ConfidenceIntervals.Wilson(79, 79).Upper);
        Assert.Equal(0.0, ConfidenceIntervals.Wilson(0, 79).Lower);
        Assert.Equal(1 - 0.1611251581, all.Lower, 9); // the mirror of 0 of 20
        Assert.True(wide.Lower < narrow.Lower && narrow.Upper < wide.Upper);
        Assert.Equal(0.99, wide.Level);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 10)]
    [InlineData(11, 10)]
    public void Wilson_refuses_impossible_counts(int successes, int trials)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceIntervals.Wilson(successes, trials));
    }

    // Worked by hand. Positives 0.8, 0.6, 0.4; negatives 0.5, 0.2. Share of negatives below each positive
    // (V10): 1, 1, 1/2, so AUC = 5/6; share of positives above each negative (V01): 2/3, 1. Sample
    // variances: S10 = (1/36 + 1/36 + 4/36) / 2 = 1/12, S01 = (1/36 + 1/36) / 1 = 1/18.
    // var = S10 / 3 + S01 / 2 = 1/36 + 1/36 = 1/18. R's pROC 1.18: var(roc(controls = c(0.5, 0.2),
    // cases = c(0.8, 0.6, 0.4))) = 0.0555555555556.
    [Fact]
    public void DeLong_variance_of_a_hand_worked_example()
    {
        var (auc, variance) = ConfidenceIntervals.DeLong([1, 1, 1, 0, 0], [0.8f, 0.6f, 0.4f, 0.5f, 0.2f]);

        Assert.Equal(5.0 / 6, auc, 6);
        Assert.Equal(1.0 / 18, variance, 6);
    }

    // A tie between a positive and a negative at 0.5 counts half. V10: 1, 3/4, 1/2 (AUC 3/4);
    // V01: 1/2, 1. S10 = (1/16 + 0 + 1/16) / 2 = 1/16, S01 = (1/16 + 1/16) / 1 = 1/8; var = 1/48 + 1/16 = 1/12.
    // pROC: var(roc(controls = c(0.5, 0.2), cases = c(0.8, 0.5, 0.4))) = 0.0833333333333.
    [Fact]
    public void DeLong_counts_a_tie_across_classes_as_half()
    {
        var (auc, variance) = ConfidenceIntervals.DeLong([1, 1, 1, 0, 0], [0.8f, 0.5f, 0.4f, 0.5f, 0.2f]);

        Assert.Equal(0.75, auc, 6);
        Assert.Equal(1.0 / 12, variance, 6);
    }

    // pROC's own documented example: roc(aSAH$outcome, aSAH$s100b) has AUC 0.7314 and "95% CI:
    // 0.6301-0.8326 (DeLong)" (pROC reference manual, ci.auc; Robin et al., BMC Bioinformatics 12:77, 2011).
    // The 113 patients of the aSAH data set that ships with pROC (Turck et al. 2010): s100b, and outcome
    // (1 = Poor, the cases). To 10 places from pROC 1.18 on R 4.2.2: AUC 0.7313685637,
    // CI 0.6301182118 to 0.8326189156, var 0.00266868245717.
    [Fact]
    public void DeLong_interval_matches_pROC_on_its_aSAH_example()
    {
        var interval = ConfidenceIntervals.RocAucDeLong(AsahPoorOutcome, AsahS100B);
        var (auc, variance) = ConfidenceIntervals.DeLong(AsahPoorOutcome, AsahS100B);

        Assert.Equal(0.7313685637, auc, 9);
        Assert.Equal(0.00266868245717, variance, 12);
        Assert.Equal(0.6301182118, interval.Lower, 6);
        Assert.Equal(0.8326189156, interval.Upper, 6);
        Assert.Equal("delong", interval.Method);
        Assert.Equal(0.95, interval.Level);
        Assert.Equal(BinaryEvaluation.RocAuc(AsahPoorOutcome, AsahS100B), auc, 12);
    }

    [Fact]
    public void DeLong_is_clipped_to_0_to_1_and_undefined_with_fewer_than_two_of_a_class()
    {
        var separated = ConfidenceIntervals.RocAucDeLong([1, 1, 0, 0], [0.9f, 0.8f, 0.2f, 0.1f]);
        var wide = ConfidenceIntervals.RocAucDeLong([1, 1, 1, 0, 0], [0.8f, 0.6f, 0.4f, 0.5f, 0.2f]);
        var lonely = ConfidenceIntervals.RocAucDeLong([1, 0, 0], [0.9f, 0.2f, 0.1f]);
        var oneClass = ConfidenceIntervals.DeLong([1, 1], [0.9f, 0.2f]);

        Assert.Equal((1.0, 1.0), (separated.Lower, separated.Upper)); // variance 0: nothing more to say
        Assert.Equal(1.0, wide.Upper);                                 // 5/6 + 1.96 sqrt(1/18) > 1
        Assert.Equal(5.0 / 6 - 1.959963984540054 * Math.Sqrt(1.0 / 18), wide.Lower, 9);
        Assert.True(double.IsNaN(lonely.Lower) && double.IsNaN(lonely.Upper));
        Assert.True(double.IsNaN(oneClass.Auc));
    }

    // R 4.2.2: qnorm(c(0.975, 0.995, 1e-10, 0.3)).
    [Theory]
    [InlineData(0.975, 1.95996398454005361)]
    [InlineData(0.995, 2.57582930354889994)]
    [InlineData(1e-10, -6.36134090240405570)]
    [InlineData(0.3, -0.52440051270804067)]
    [InlineData(0.5, 0.0)]
    public void The_normal_quantile_matches_R(double probability, double expected)
    {
        Assert.Equal(expected, StandardNormal.Quantile(probability), 14);
    }

    private static readonly int[] AsahPoorOutcome =
    [
        0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0,
        1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0,
    ];

    private static readonly float[] AsahS100B =
    [
        0.13f, 0.14f, 0.1f, 0.04f, 0.13f, 0.1f, 0.47f, 0.16f, 0.18f, 0.1f, 0.12f, 0.1f, 0.44f, 0.71f, 0.04f, 0.08f, 0.49f, 0.04f, 0.07f, 0.33f,
        0.09f, 0.09f, 0.07f, 0.11f, 0.07f, 0.17f, 0.07f, 0.11f, 0.13f, 0.19f, 0.05f, 0.16f, 0.41f, 0.14f, 0.34f, 0.35f, 0.48f, 0.09f, 0.96f, 0.25f,
        0.5f, 0.46f, 0.16f, 0.07f, 0.43f, 0.45f, 0.11f, 0.08f, 0.09f, 0.86f, 0.52f, 0.08f, 0.06f, 0.13f, 2.07f, 0.1f, 0.14f, 0.15f, 0.07f, 0.06f,
        0.77f, 0.05f, 0.09f, 0.3f, 0.03f, 0.09f, 0.04f, 0.23f, 0.7f, 0.09f, 0.27f, 0.71f, 0.08f, 0.26f, 0.08f, 0.16f, 0.09f, 0.13f, 0.1f, 0.08f,
        0.11f, 0.33f, 0.11f, 0.28f, 0.07f, 0.1f, 0.32f, 0.22f, 0.07f, 0.05f, 0.24f, 0.38f, 0.1f, 0.15f, 0.08f, 0.14f, 0.1f, 0.07f, 0.04f, 0.19f,
        0.56f, 0.14f, 0.58f, 0.32f, 0.82f, 0.74f, 0.15f, 0.47f, 0.17f, 0.44f, 0.15f, 0.5f, 0.48f,
    ];
}
