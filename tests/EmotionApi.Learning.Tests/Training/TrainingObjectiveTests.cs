using EmotionApi.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Training;

public sealed class TrainingObjectiveTests
{
    [Fact]
    public void Label_smoothing_moves_the_targets_towards_one_half()
    {
        using var logits = tensor(new[] { 2f, -1f, 0.5f });
        using var targets = tensor(new[] { 1f, 0f, 1f });
        using var weights = tensor(new[] { 1f, 2f, 0.5f });
        using var smoothedTargets = tensor(new[] { 0.95f, 0.05f, 0.95f });

        using var smoothed = TrainingLoss.Compute(logits, targets, weights, smoothing: 0.1);
        using var expected = nn.functional.binary_cross_entropy_with_logits(logits, smoothedTargets, weights);
        using var plain = TrainingLoss.Compute(logits, targets, weights, smoothing: 0);
        using var unsmoothed = nn.functional.binary_cross_entropy_with_logits(logits, targets, weights);

        Assert.Equal(expected.item<float>(), smoothed.item<float>(), 6);
        Assert.Equal(unsmoothed.item<float>(), plain.item<float>());
        // A confident, right prediction costs more once targets are smoothed: the network is kept from certainty.
        Assert.True(smoothed.item<float>() > plain.item<float>());
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(1.0)]
    [InlineData(4.0)]
    public void Mixup_shares_follow_the_symmetric_beta_distribution(double alpha)
    {
        var random = new Random(7);
        var draws = Enumerable.Range(0, 20_000).Select(_ => Mixup.Beta(random, alpha)).ToArray();
        var mean = draws.Average();
        var variance = draws.Sum(x => (x - mean) * (x - mean)) / draws.Length;

        // Beta(a, a): mean 1/2, variance 1 / (4 (2a + 1)).
        Assert.Equal(0.5, mean, 0.01);
        Assert.Equal(1 / (4 * (2 * alpha + 1)), variance, 0.01);
        Assert.All(draws, x => Assert.InRange(x, 0, 1));
    }

    [Fact]
    public void Mixup_blends_inputs_targets_and_weights_by_one_share_with_the_same_partners()
    {
        // Each input row holds its own index, so the blend reveals the partner and the share.
        using var inputs = arange(6, dtype: ScalarType.Float32).reshape(6, 1).expand(6, 3).contiguous();
        using var targets = tensor(new[] { 1f, 0f, 1f, 1f, 0f, 0f });
        using var weights = tensor(new[] { 1f, 2f, 1f, 1f, 2f, 2f });

        var (mixed, mixedTargets, mixedWeights) = Mixup.Blend(inputs, targets, weights, alpha: 0.4, new Random(3));
        var lambda = (float)Mixup.Beta(new Random(3), 0.4);

        for (var i = 0; i < 6; i++)
        {
            var partner = (int)Math.Round((mixed[i, 0].item<float>() - lambda * i) / (1 - lambda));
            Assert.InRange(partner, 0, 5);
            Assert.Equal(lambda * targets[i].item<float>() + (1 - lambda) * targets[partner].item<float>(), mixedTargets[i].item<float>(), 5);
            Assert.Equal(lambda * weights[i].item<float>() + (1 - lambda) * weights[partner].item<float>(), mixedWeights![i].item<float>(), 5);
        }
    }
}
