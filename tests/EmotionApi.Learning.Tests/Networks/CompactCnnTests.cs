using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Networks;

public class CompactCnnTests
{
    [Fact]
    public void Stays_well_under_a_million_parameters()
    {
        using var network = new CompactCnn();
        Assert.Equal(583_137, NetworkCost.TrainableParameters(network));
    }

    [Theory]
    [InlineData(32, 32)]
    [InlineData(64, 64)]
    [InlineData(150, 150)]
    [InlineData(400, 500)]
    [InlineData(96, 128)]
    public void Maps_a_batch_to_one_logit_per_image_at_any_supported_size(int height, int width)
    {
        using var network = new CompactCnn();
        using var images = rand(2, 3, height, width);
        using var logits = network.call(images);
        Assert.Equal(new long[] { 2 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void Rejects_images_smaller_than_its_minimum_side()
    {
        using var network = new CompactCnn();
        using var images = rand(1, 3, 31, 64);
        Assert.Throws<ArgumentException>(() => network.call(images));
    }

    [Fact]
    public void In_eval_mode_an_image_scores_the_same_alone_and_in_a_batch()
    {
        using var network = new CompactCnn();
        // A few training batches move batch norm's running statistics away from their initial 0 and 1.
        using (var warmup = rand(8, 3, 64, 64))
            for (var step = 0; step < 3; step++) network.call(warmup).Dispose();
        network.eval();
        using var _ = no_grad();
        using var images = rand(5, 3, 64, 64);
        using var batchLogits = network.call(images);
        using var alone = network.call(images[3..4]);
        Assert.Equal(batchLogits[3].item<float>(), alone[0].item<float>(), 1e-4f);
    }

    [Fact]
    public void Every_parameter_receives_a_gradient()
    {
        using var network = new CompactCnn();
        using var images = rand(4, 3, 48, 48);
        using var targets = tensor(new float[] { 0, 1, 1, 0 });
        using var logits = network.call(images);
        using var loss = nn.functional.binary_cross_entropy_with_logits(logits, targets);
        loss.backward();
        foreach (var (name, parameter) in network.named_parameters())
            Assert.True(parameter.grad is { } grad && grad.abs().sum().item<float>() > 0, $"{name} got no gradient");
    }

    [Fact]
    public void Batch_statistics_are_used_in_training_and_running_ones_in_eval()
    {
        using var network = new CompactCnn();
        using var _ = no_grad();
        using var images = rand(4, 3, 64, 64);
        network.eval();
        using var evalLogits = network.call(images);
        network.train();
        using var trainLogits = network.call(images);
        Assert.False(evalLogits.allclose(trainLogits, rtol: 1e-3, atol: 1e-4));
    }
}
