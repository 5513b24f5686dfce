using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// Keras' weight initialisers, which the article's model used (TorchSharp initialises layers PyTorch's
/// way). Fans follow Keras: a dense kernel's fan-in is its input width, a convolution's is
/// input channels x kernel area (fan-out: output channels x kernel area), as PyTorch computes them too.
/// Draws come from torch's generator, seeded by the caller with torch.manual_seed.
/// </summary>
internal static class KerasInitializers
{
    // Standard deviation of a unit normal truncated to [-2, 2] (scipy.stats.truncnorm.std(-2, 2)).
    private const double UnitTruncatedNormalStd = 0.87962566103423978;
    // erf(2 / sqrt 2) = P(|Z| < 2) for a unit normal Z.
    private const double ErfOfTwoOverSqrtTwo = 0.95449973610364158;

    /// <summary>glorot_uniform, Keras' default kernel initialiser: U(-l, l), l = sqrt(6 / (fan_in + fan_out)).</summary>
    public static void GlorotUniform(Tensor weight)
    {
        using var _ = no_grad();
        nn.init.xavier_uniform_(weight);
    }

    /// <summary>
    /// he_normal: a normal truncated at two standard deviations, scaled so that the truncated draws have a
    /// standard deviation of sqrt(2 / fan_in) (Keras 2.2.3+ and tf.keras; Keras 2.2.2 and older drew
    /// about 12% narrower by leaving out the truncation correction).
    /// </summary>
    public static void HeNormal(Tensor weight)
    {
        var fanIn = FanIn(weight);
        var std = Math.Sqrt(2.0 / fanIn) / UnitTruncatedNormalStd;
        // Inverse-CDF sampling of the normal restricted to [-2 std, 2 std], as PyTorch's trunc_normal_ does
        // (TorchSharp 0.107's trunc_normal_ fills the tensor with a constant instead).
        using var _ = no_grad();
        weight.uniform_(-ErfOfTwoOverSqrtTwo, ErfOfTwoOverSqrtTwo);
        weight.erfinv_();
        weight.mul_(std * Math.Sqrt(2));
        weight.clamp_(-2 * std, 2 * std);
    }

    /// <summary>Keras' bias initialiser.</summary>
    public static void Zeros(Tensor bias)
    {
        using var _ = no_grad();
        bias.zero_();
    }

    /// <summary>Input units feeding one output unit: in_features for [out, in], in_channels x kernel area for [out, in, kh, kw].</summary>
    public static long FanIn(Tensor weight) => weight.dim() switch
    {
        2 => weight.shape[1],
        4 => weight.shape[1] * weight.shape[2] * weight.shape[3],
        _ => throw new ArgumentException($"Expected a dense [out, in] or convolution [out, in, kh, kw] weight, got [{string.Join(", ", weight.shape)}]."),
    };
}
