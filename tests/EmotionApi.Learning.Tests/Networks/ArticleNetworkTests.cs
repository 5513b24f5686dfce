using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Networks;

public class ArticleNetworkTests
{
    private static readonly ImageSize ArticleSize = new(400, 500);

    [Fact]
    public void Has_the_articles_1539393_trainable_parameters_at_400x500()
    {
        using var network = new ArticleNetwork(ArticleSize);
        Assert.Equal(1_539_393, NetworkCost.TrainableParameters(network));
    }

    [Fact]
    public void Flattens_128x5x7_features_at_400x500()
    {
        using var network = new ArticleNetwork(ArticleSize);
        Assert.Equal(4_480, network.FlattenedFeatures);
        Assert.Equal(5, ArticleNetwork.FeatureSide(400));
        Assert.Equal(7, ArticleNetwork.FeatureSide(500));
    }

    [Theory]
    [InlineData(91, 91)]
    [InlineData(150, 150)]
    [InlineData(400, 500)]
    [InlineData(500, 120)]
    public void Maps_a_batch_to_one_logit_per_image(int height, int width)
    {
        using var network = new ArticleNetwork(new ImageSize(height, width));
        using var images = rand(2, 3, height, width);
        using var logits = network.call(images);
        Assert.Equal(new long[] { 2 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void Smallest_side_is_91_where_the_last_pool_still_has_one_pixel()
    {
        Assert.Equal(1, ArticleNetwork.FeatureSide(ArticleNetwork.MinSide));
        Assert.Equal(0, ArticleNetwork.FeatureSide(ArticleNetwork.MinSide - 1));
    }

    [Fact]
    public void Rejects_images_of_another_size_than_it_was_built_for()
    {
        using var network = new ArticleNetwork(new ImageSize(128, 128));
        using var images = rand(1, 3, 128, 130);
        var error = Assert.Throws<ArgumentException>(() => network.call(images));
        Assert.Contains("128x128", error.Message);
    }

    [Fact]
    public void Hidden_dense_layers_start_he_normal_with_std_sqrt_2_over_fan_in_truncated_at_two_std()
    {
        using var network = new ArticleNetwork(ArticleSize);
        foreach (var (name, fanIn) in new[] { ("dense1", 4_480L), ("dense2", 256L) })
        {
            var weight = Parameter(network, $"{name}.weight");
            var expectedStd = Math.Sqrt(2.0 / fanIn);
            Assert.InRange(weight.std().item<float>(), 0.97 * expectedStd, 1.03 * expectedStd);
            Assert.InRange(weight.mean().item<float>(), -0.05 * expectedStd, 0.05 * expectedStd);
            // Drawn from a normal of std expectedStd / 0.8796 cut at two of its std.
            var cut = 2 * expectedStd / 0.87962566103423978;
            Assert.True(weight.abs().max().item<float>() <= cut * (1 + 1e-6), $"{name} has draws beyond the truncation");
            Assert.True(weight.abs().max().item<float>() > 0.95 * cut, $"{name} looks narrower than he_normal");
        }
    }

    [Fact]
    public void Convolutions_and_output_layer_start_glorot_uniform()
    {
        using var network = new ArticleNetwork(ArticleSize);
        foreach (var (name, fanIn, fanOut) in new[]
                 {
                     ("conv1", 3 * 9L, 64 * 9L), ("conv2", 64 * 9L, 64 * 9L), ("conv3", 64 * 9L, 128 * 9L),
                     ("conv4", 128 * 9L, 128 * 9L), ("output", 512L, 1L),
                 })
        {
            var weight = Parameter(network, $"{name}.weight");
            var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
            var max = weight.abs().max().item<float>();
            // Draws are float32: the bound itself rounds to the nearest float, up to half an ulp above the double.
            Assert.True(max <= limit * (1 + 1e-6) && max > 0.9 * limit, $"{name}: max |w| {max}, glorot limit {limit}");
            if (weight.numel() > 1000)
                Assert.InRange(weight.std().item<float>(), 0.95 * limit / Math.Sqrt(3), 1.05 * limit / Math.Sqrt(3));
        }
    }

    [Fact]
    public void All_biases_start_at_zero_as_in_keras()
    {
        using var network = new ArticleNetwork(ArticleSize);
        var biases = network.named_parameters().Where(p => p.name.EndsWith(".bias")).ToList();
        Assert.Equal(7, biases.Count);
        Assert.All(biases, bias => Assert.Equal(0f, bias.parameter.abs().max().item<float>()));
    }

    [Fact]
    public void In_eval_mode_an_image_scores_the_same_alone_and_in_a_batch()
    {
        using var network = new ArticleNetwork(new ImageSize(120, 150));
        network.eval();
        using var _ = no_grad();
        using var images = rand(4, 3, 120, 150);
        using var batchLogits = network.call(images);
        using var alone = network.call(images[2..3]);
        Assert.Equal(batchLogits[2].item<float>(), alone[0].item<float>(), 1e-4f);
    }

    [Fact]
    public void Convolutions_have_no_activation_as_in_the_article()
    {
        // Keras' Conv2D defaults to a linear activation and the article set none: with its zero initial biases,
        // the two convolutions before the first pool are then an odd function, conv2(conv1(-x)) = -conv2(conv1(x)).
        // A ReLU (or any activation) after conv1 breaks that.
        using var network = new ArticleNetwork(new ImageSize(100, 100)) { ComposeFirstConvolutions = false };
        network.eval();
        using var _ = no_grad();
        var conv2 = (Conv2d)network.named_modules().Single(m => m.name == "conv2").module;
        var captured = new List<Tensor>();
        var hook = conv2.register_forward_hook((_, _, output) => { captured.Add(output.clone().DetachFromDisposeScope()); return output; });
        try
        {
            using var images = rand(1, 3, 100, 100) - 0.5;
            using var negated = images.neg();
            network.call(images).Dispose();
            network.call(negated).Dispose();
        }
        finally
        {
            hook.remove();
        }
        Assert.Equal(2, captured.Count);
        Assert.True(captured[1].allclose(captured[0].neg(), rtol: 1e-4, atol: 1e-6));
        Assert.True(captured[0].abs().max().item<float>() > 1e-3);
        captured.ForEach(t => t.Dispose());
    }

    [Theory]
    [InlineData(400, 500)]
    [InlineData(97, 130)]
    public void Composing_conv1_and_conv2_changes_neither_outputs_nor_gradients(int height, int width)
    {
        // In float64, so that float32 rounding over the 400x500 sums does not hide a real difference.
        var size = new ImageSize(height, width);
        using var composed = new ArticleNetwork(size);
        using var apart = new ArticleNetwork(size) { ComposeFirstConvolutions = false };
        composed.to(ScalarType.Float64);
        apart.to(ScalarType.Float64);
        using (no_grad())
        {
            // Non-zero biases, so the composed bias is exercised.
            Parameter(composed, "conv1.bias").uniform_(-0.1, 0.1);
            foreach (var (name, parameter) in apart.named_parameters())
                parameter.copy_(Parameter(composed, name));
        }
        // Eval mode: no dropout draws that could differ.
        composed.eval();
        apart.eval();
        using var images = rand(2, 3, height, width, dtype: ScalarType.Float64);
        using var targets = tensor(new double[] { 0, 1 });
        using var composedLogits = composed.call(images);
        using var apartLogits = apart.call(images);
        Assert.True(composedLogits.allclose(apartLogits, rtol: 1e-9, atol: 1e-10), $"{composedLogits.str()} vs {apartLogits.str()}");

        foreach (var logits in new[] { composedLogits, apartLogits })
        {
            using var loss = nn.functional.binary_cross_entropy_with_logits(logits, targets);
            loss.backward();
        }
        foreach (var name in new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "dense1.weight" })
        {
            var expected = Parameter(apart, name).grad!;
            var actual = Parameter(composed, name).grad!;
            var scale = expected.abs().max().item<double>();
            var difference = (actual - expected).abs().max().item<double>();
            Assert.True(scale > 0, $"{name} got no gradient");
            Assert.True(difference <= 1e-9 * scale, $"{name}: gradients differ by {difference}, scale {scale}");
        }
    }

    [Fact]
    public void Composed_first_convolution_executes_less_than_a_third_of_the_arithmetic_at_400x500()
    {
        using var network = new ArticleNetwork(ArticleSize);
        // One 7x7x3 kernel per output of conv2 (99 x 124 x 64) replaces conv1 (199 x 249 x 64 x 27) and conv2 (x 576).
        Assert.Equal(615_237_440 - 85_624_128 - 452_542_464 + 99 * 124 * 64 * 147, NetworkCost.ExecutedForwardMultiplyAccumulates(network, ArticleSize));
        Assert.Equal(615_237_440, NetworkCost.ForwardMultiplyAccumulates(network, ArticleSize));
        using var apart = new ArticleNetwork(ArticleSize) { ComposeFirstConvolutions = false };
        Assert.Equal(615_237_440, NetworkCost.ExecutedForwardMultiplyAccumulates(apart, ArticleSize));
    }

    [Fact]
    public void Describes_the_layers_its_forward_pass_calls_when_run_apart()
    {
        // The composed forward pass hides conv1 and conv2 from hooks: the count comes from the network's description,
        // which must list what a plain forward pass calls, layer by layer.
        var size = new ImageSize(128, 160);
        using var network = new ArticleNetwork(size);
        using var apart = new ArticleNetwork(size) { ComposeFirstConvolutions = false };
        long counted = 0;
        var hooks = apart.modules().OfType<Conv2d>().Select(conv => conv.register_forward_hook((_, _, output) =>
        {
            counted += output.numel() * conv.weight!.shape[1] * 9;
            return output;
        })).ToList();
        apart.eval();
        using (no_grad())
        using (var images = zeros(1, 3, 128, 160))
            apart.call(images).Dispose();
        hooks.ForEach(h => h.remove());

        Assert.Equal(counted + network.FlattenedFeatures * 256 + 256 * 512 + 512, NetworkCost.ForwardMultiplyAccumulates(network, size));
        Assert.Equal(NetworkCost.TracedLayers(apart, size), network.SpecifiedLayers);
        Assert.Equal(["conv1", "conv2", "conv3", "conv4", "dense1", "dense2", "output"], network.SpecifiedLayers.Select(layer => layer.Name));
        Assert.Equal(apart.SpecifiedLayers, apart.ExecutedLayers);
        Assert.Equal(["conv1+conv2", "conv3", "conv4", "dense1", "dense2", "output"], network.ExecutedLayers.Select(layer => layer.Name));
    }

    [Fact]
    public void Costs_are_refused_for_another_input_size_than_the_network_was_built_for()
    {
        using var network = new ArticleNetwork(new ImageSize(128, 128));
        Assert.Throws<ArgumentException>(() => NetworkCost.ForwardMultiplyAccumulates(network, new ImageSize(128, 160)));
    }

    private static Tensor Parameter(nn.Module network, string name) =>
        network.named_parameters().Single(p => p.name == name).parameter;
}
