using EmotionApi.Learning.Training;
using TorchSharp;

namespace EmotionApi.Learning.Tests.Training;

public sealed class LossTests
{
    [Fact]
    public void Balanced_class_weights_are_inverse_class_frequencies()
    {
        // sklearn's compute_class_weight("balanced"): n / (2 * n_c).
        Assert.Equal([2f, 2f / 3], ClassWeights.Balanced([0, 1, 1, 1]));
        Assert.Equal([1f, 1f], ClassWeights.Balanced([0, 1, 0, 1]));
        Assert.Equal([1f, 0.5f], ClassWeights.Balanced([1, 1]));
    }

    [Fact]
    public void Class_weights_raise_the_loss_of_a_neglected_minority()
    {
        // Three Positive images predicted well, one Negative predicted badly (the article's failure: all called Positive).
        int[] labels = [0, 1, 1, 1];
        using var logits = torch.tensor(new float[] { 2, 2, 2, 2 });
        using var targets = torch.tensor(labels.Select(label => (float)label).ToArray());
        var weights = ClassWeights.Balanced(labels);
        using var sampleWeights = torch.tensor(labels.Select(label => weights[label]).ToArray());

        using var plain = torch.nn.functional.binary_cross_entropy_with_logits(logits, targets);
        using var weighted = torch.nn.functional.binary_cross_entropy_with_logits(logits, targets, sampleWeights);

        var bad = Math.Log(1 + Math.Exp(2));   // -log(1 - sigmoid(2))
        var good = Math.Log(1 + Math.Exp(-2)); // -log(sigmoid(2))
        Assert.Equal((bad + 3 * good) / 4, plain.item<float>(), 5);
        Assert.Equal((2 * bad + 3 * (2.0 / 3) * good) / 4, weighted.item<float>(), 5);
        Assert.True(weighted.item<float>() > plain.item<float>());
    }

    [Fact]
    public void Validation_loss_is_binary_cross_entropy_stable_for_large_logits()
    {
        var (loss, accuracy) = TrainingLoop.LossAndAccuracy([0f, 100f, -100f, 100f], [1, 1, 0, 0], 0.5);

        // ln 2 for a logit of 0; nothing for two confident right answers; 100 for a confident wrong one.
        Assert.Equal((Math.Log(2) + 100) / 4, loss, 9);
        Assert.Equal(0.5, accuracy); // logit 0 is p = 0.5, not above the threshold: Negative, wrong.
    }

    [Fact]
    public void Accuracy_uses_the_threshold()
    {
        // p = sigmoid(1) = 0.73: Positive at 0.5, Negative at 0.8.
        Assert.Equal(1.0, TrainingLoop.LossAndAccuracy([1f], [1], 0.5).Accuracy);
        Assert.Equal(0.0, TrainingLoop.LossAndAccuracy([1f], [1], 0.8).Accuracy);
    }

    [Fact]
    public void Epoch_seeds_are_stable_and_distinct()
    {
        // Pinned (SplitMix64 computed independently): a checkpoint written by one version resumes with the same draws in the next.
        Assert.Equal(1210890224, RunSeeds.Shuffle(21, 3));
        var seeds = Enumerable.Range(1, 50).Select(epoch => RunSeeds.Shuffle(21, epoch))
            .Concat(Enumerable.Range(1, 50).Select(epoch => RunSeeds.Shuffle(22, epoch))).ToArray();
        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.NotEqual(RunSeeds.Shuffle(21, 1), (int)RunSeeds.Torch(21, 1));
    }
}
