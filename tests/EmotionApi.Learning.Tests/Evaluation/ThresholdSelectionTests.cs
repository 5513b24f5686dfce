using EmotionApi.Learning.Evaluation;

namespace EmotionApi.Learning.Tests.Evaluation;

public class ThresholdSelectionTests
{
    // Nine validation scores, 5 Positive (P) and 4 Negative (N), worked by hand:
    //   0.9 P, 0.8 P, 0.7 N, 0.6 P, 0.55 P, 0.4 N, 0.3 N, 0.2 P, 0.1 N
    // threshold  TP FP  recall specificity precision  J
    //   1          0  0   0      1           -          0
    //   0.85       1  0   0.2    1           1          0.2
    //   0.75       2  0   0.4    1           1          0.4
    //   0.65       2  1   0.4    0.75        2/3        0.15
    //   0.575      3  1   0.6    0.75        3/4        0.35
    //   0.475      4  1   0.8    0.75        4/5        0.55   <- largest J
    //   0.35       4  2   0.8    0.5         2/3        0.3
    //   0.25       4  3   0.8    0.25        4/7        0.05
    //   0.15       5  3   1      0.25        5/8        0.25
    //   0          5  4   1      0           5/9        0
    private static readonly int[] Labels = [1, 1, 0, 1, 1, 0, 0, 1, 0];
    private static readonly float[] Scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.4f, 0.3f, 0.2f, 0.1f];

    [Fact]
    public void Candidates_are_1_the_midpoints_between_distinct_scores_and_0()
    {
        var candidates = ThresholdSelection.Candidates(Labels, Scores);

        Assert.Equal([1, 0.85, 0.75, 0.65, 0.575, 0.475, 0.35, 0.25, 0.15, 0], candidates.Select(point => Math.Round(point.Threshold, 6)));
        Assert.Equal([0, 1, 2, 2, 3, 4, 4, 4, 5, 5], candidates.Select(point => point.TruePositives));
        Assert.Equal([0, 0, 0, 1, 1, 1, 2, 3, 3, 4], candidates.Select(point => point.FalsePositives));
        foreach (var point in candidates)
            Assert.Equal(point, ThresholdSelection.At(Labels, Scores, point.Threshold)); // the rule p > threshold gives these counts
    }

    [Fact]
    public void Youden_picks_the_largest_J()
    {
        var choice = ThresholdSelection.Youden(Labels, Scores);

        Assert.Equal(0.475, choice.Threshold, 6);
        Assert.Equal(0.55, choice.Validation.YoudenJ, 12);
        Assert.Equal((0.8, 0.75), (choice.Validation.Recall, choice.Validation.Specificity));
        Assert.Equal("youden", choice.Rule);
        Assert.Null(choice.Target);
        Assert.True(choice.TargetReached);
    }

    // 0.8 P, 0.6 N, 0.4 P, 0.2 N: thresholds 0.7 (recall 1/2, specificity 1) and 0.3 (recall 1,
    // specificity 1/2) both have J = 1/2; the higher wins.
    [Fact]
    public void Youden_breaks_a_tie_towards_the_higher_threshold()
    {
        var choice = ThresholdSelection.Youden([1, 0, 1, 0], [0.8f, 0.6f, 0.4f, 0.2f]);

        Assert.Equal(0.7, choice.Threshold, 6);
        Assert.Equal(0.5, choice.Validation.YoudenJ, 12);
    }

    [Theory]
    [InlineData(0.8, 0.475, 0.8)]  // 0.85, 0.75 and 0.475 reach 0.8; 0.475 has the most recall
    [InlineData(0.9, 0.75, 0.4)]   // only 0.85 and 0.75 reach it
    [InlineData(1.0, 0.75, 0.4)]
    [InlineData(0.6, 0.15, 1.0)]   // 5/8 = 0.625 at 0.15 reaches it
    [InlineData(0.65, 0.475, 0.8)] // 0.475 (4/5) and 0.35 (2/3) tie on recall 0.8: the higher has fewer false positives
    public void Target_precision_takes_the_most_recall_among_thresholds_that_reach_it(double target, double threshold, double recall)
    {
        var choice = ThresholdSelection.ForPrecision(Labels, Scores, target);

        Assert.Equal(threshold, choice.Threshold, 6);
        Assert.Equal(recall, choice.Validation.Recall, 12);
        Assert.True(choice.Validation.Precision >= target);
        Assert.True(choice.TargetReached);
        Assert.Equal(("precision", target), (choice.Rule, choice.Target!.Value));
    }

    // 0.9 N, 0.8 P, 0.7 N, 0.6 P: precision is 0 at 0.85, 1/2 at 0.75, 1/3 at 0.65, 1/2 at 0 (0.3 does
    // not exist: 0.6 is the lowest score). 1.0 is out of reach; the best is 1/2, reached at 0.75 (recall
    // 1/2) and at 0 (recall 1): the larger recall wins.
    [Fact]
    public void An_unreachable_precision_gives_the_closest_point_and_says_so()
    {
        var choice = ThresholdSelection.ForPrecision([0, 1, 0, 1], [0.9f, 0.8f, 0.7f, 0.6f], 1.0);

        Assert.False(choice.TargetReached);
        Assert.Equal(0.0, choice.Threshold);
        Assert.Equal((0.5, 1.0), (choice.Validation.Precision, choice.Validation.Recall));
    }

    [Theory]
    [InlineData(0.6, 0.575)]
    [InlineData(0.7, 0.475)]
    [InlineData(0.8, 0.475)]
    [InlineData(1.0, 0.15)]
    [InlineData(0.1, 0.85)]
    public void Target_recall_takes_the_highest_threshold_that_reaches_it(double target, double threshold)
    {
        var choice = ThresholdSelection.ForRecall(Labels, Scores, target);

        Assert.Equal(threshold, choice.Threshold, 6);
        Assert.True(choice.Validation.Recall >= target);
        Assert.True(choice.TargetReached);
    }

    // A Positive image scored exactly 0 is never called Positive by p > t for t in [0, 1]: recall 1 is
    // out of reach. Candidates: 1, 0.65 (0.8 P alone), 0.25 (also 0.5 N); none at 0.
    [Fact]
    public void An_unreachable_recall_gives_the_lowest_threshold_and_says_so()
    {
        var choice = ThresholdSelection.ForRecall([1, 0, 1], [0.8f, 0.5f, 0f], 1.0);

        Assert.False(choice.TargetReached);
        Assert.Equal(0.25, choice.Threshold, 6);
        Assert.Equal(0.5, choice.Validation.Recall);
        Assert.Equal(3, ThresholdSelection.Candidates([1, 0, 1], [0.8f, 0.5f, 0f]).Count);
    }

    [Fact]
    public void Tied_scores_are_one_operating_point()
    {
        var candidates = ThresholdSelection.Candidates([1, 0, 1, 0], [0.5f, 0.5f, 0.5f, 0.2f]);

        Assert.Equal([1, 0.35, 0], candidates.Select(point => Math.Round(point.Threshold, 6)));
        Assert.Equal((2, 1), (candidates[1].TruePositives, candidates[1].FalsePositives));
    }

    [Fact]
    public void Bad_input_is_refused_with_the_reason()
    {
        Assert.Contains("no Negative image", Assert.Throws<ArgumentException>(() => ThresholdSelection.Youden([1, 1], [0.2f, 0.9f])).Message);
        Assert.Contains("no Positive image", Assert.Throws<ArgumentException>(() => ThresholdSelection.ForRecall([0, 0], [0.2f, 0.9f], 0.5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdSelection.ForPrecision(Labels, Scores, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdSelection.ForRecall(Labels, Scores, 1.2));
        Assert.Contains("outside [0, 1]", Assert.Throws<ArgumentException>(() => ThresholdSelection.Candidates([1, 0], [1.5f, 0.2f])).Message);
        Assert.Throws<ArgumentException>(() => ThresholdSelection.Candidates([], []));
        Assert.Throws<ArgumentException>(() => ThresholdSelection.At(Labels, Scores, double.NaN));
    }

    [Fact]
    public void Rates_with_nothing_to_divide_are_NaN()
    {
        var nothingPositive = new OperatingPoint(1, 0, 0, 4, 5);

        Assert.True(double.IsNaN(nothingPositive.Precision));
        Assert.Equal(0, nothingPositive.Recall);
        Assert.Equal(1, nothingPositive.Specificity);
    }
}
