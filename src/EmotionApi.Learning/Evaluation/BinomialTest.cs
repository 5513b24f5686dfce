namespace EmotionApi.Learning.Evaluation;

/// <summary>The exact binomial test, one-sided: is a classifier's accuracy above the naive baseline's?</summary>
public static class BinomialTest
{
    /// <summary>
    /// P[X &gt;= successes] for X ~ Binomial(trials, nullProbability): the p-value of "the true rate is
    /// above nullProbability", as R's binom.test(alternative = "greater") and scipy's binomtest give it.
    /// For accuracy against the naive baseline (caret's "P-Value [Acc &gt; NIR]"): successes = correct
    /// predictions, trials = test images, nullProbability = the majority class's share.
    /// </summary>
    /// <remarks>Summed in log space from the exact terms, so large test sets neither underflow nor lose the tail.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">Negative trials, successes outside [0, trials], or a probability outside [0, 1].</exception>
    public static double UpperTailPValue(int successes, int trials, double nullProbability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Must be between 0 and the {trials} trials.");
        if (!(nullProbability is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(nullProbability), nullProbability, "Must be between 0 and 1.");
        if (successes == 0 || nullProbability == 1) return 1;
        if (nullProbability == 0) return 0;

        // log P[X = i] for i = successes..trials, from log C(n, i) + i log p + (n - i) log(1 - p).
        double logP = Math.Log(nullProbability), logQ = Math.Log(1 - nullProbability);
        var logChoose = 0.0;
        for (var i = 0; i < successes; i++) logChoose += Math.Log((double)(trials - i) / (i + 1));
        var terms = new double[trials - successes + 1];
        for (var i = successes; i <= trials; i++)
        {
            terms[i - successes] = logChoose + i * logP + (trials - i) * logQ;
            logChoose += Math.Log((double)(trials - i) / (i + 1));
        }
        var largest = terms.Max();
        var sum = terms.Sum(term => Math.Exp(term - largest));
        return Math.Min(1, Math.Exp(largest) * sum);
    }
}
