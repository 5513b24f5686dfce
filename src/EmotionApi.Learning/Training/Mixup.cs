using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// Mixup (Zhang et al. 2018): a batch blended with a shuffled copy of itself, inputs, targets and sample weights by the
/// same share lambda ~ Beta(alpha, alpha), so the network learns straight lines between examples instead of memorising
/// them. Draws come from the epoch's seeded <see cref="Random"/>: a resumed run blends the same way.
/// </summary>
internal static class Mixup
{
    /// <summary>The blended batch; <paramref name="weights"/> may be null (no class weighting).</summary>
    public static (Tensor Inputs, Tensor Targets, Tensor? Weights) Blend(Tensor inputs, Tensor targets, Tensor? weights, double alpha, Random random)
    {
        var lambda = (float)Beta(random, alpha);
        var count = (int)inputs.shape[0];
        var partners = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        random.Shuffle(partners);
        var index = torch.tensor(partners);
        Tensor Mix(Tensor values) => values.mul(lambda).add_(values.index_select(0, index), alpha: 1 - lambda);
        return (Mix(inputs), Mix(targets), weights is null ? null : Mix(weights));
    }

    /// <summary>A draw from Beta(alpha, alpha) as X / (X + Y) of two Gamma(alpha) draws.</summary>
    internal static double Beta(Random random, double alpha)
    {
        var x = Gamma(random, alpha);
        var y = Gamma(random, alpha);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /// <summary>Marsaglia and Tsang's method (2000); below shape 1, Gamma(a + 1) times U^(1/a).</summary>
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1) return Gamma(random, shape + 1) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = 1 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    // Box-Muller, one of the pair.
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
