using EmotionApi.Learning.Evaluation;

namespace EmotionApi.Learning.Tests.Evaluation;

public class BinomialTestTests
{
    // scipy's documented example (scipy.stats.binomtest): 3 unsafe cars of 15 against a claimed 10 %,
    // alternative="greater", p-value 0.18406106910639114. By hand: 1 - 0.9^15 - 15 (0.1) 0.9^14
    // - 105 (0.01) 0.9^13 = 1 - 0.205891 - 0.343152 - 0.266896 = 0.184061. R: binom.test(3, 15, 0.1,
    // alternative = "greater") gives 0.18406106910639125.
    [Fact]
    public void The_upper_tail_matches_scipys_documented_example()
    {
        Assert.Equal(0.18406106910639114, BinomialTest.UpperTailPValue(3, 15, 0.1), 13);
    }

    // R 4.2.2: binom.test(5000, 10000, 0.5, alternative = "greater")$p.value = 0.50398932306969102,
    // i.e. 1/2 + P[X = 5000] / 2 with P[X = 5000] = C(10000, 5000) / 2^10000, whose terms underflow a double.
    // Ten places: the log-space sum of 10^4 terms carries about 1e-12 of rounding, far below any use of a p-value.
    [Fact]
    public void Large_test_sets_neither_underflow_nor_lose_the_tail()
    {
        Assert.Equal(0.50398932306969102, BinomialTest.UpperTailPValue(5000, 10000, 0.5), 10);
    }

    // The article's test set: 325 images, 171 Positive, so the naive baseline is 171/325. Matching it
    // exactly is no evidence of beating it. R: binom.test(171, 325, 171/325, alternative = "greater") = 0.5225276945201649.
    [Fact]
    public void Accuracy_equal_to_the_naive_baseline_is_not_significant()
    {
        Assert.Equal(0.5225276945201649, BinomialTest.UpperTailPValue(171, 325, 171.0 / 325), 12);
    }

    [Fact]
    public void Edge_cases_follow_the_definition()
    {
        Assert.Equal(1.0, BinomialTest.UpperTailPValue(0, 10, 0.3));   // P[X >= 0]
        Assert.Equal(0.0, BinomialTest.UpperTailPValue(1, 10, 0.0));   // X is always 0
        Assert.Equal(1.0, BinomialTest.UpperTailPValue(10, 10, 1.0));  // X is always 10
        Assert.Equal(Math.Pow(0.3, 10), BinomialTest.UpperTailPValue(10, 10, 0.3), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialTest.UpperTailPValue(11, 10, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialTest.UpperTailPValue(5, 10, 1.5));
    }
}
