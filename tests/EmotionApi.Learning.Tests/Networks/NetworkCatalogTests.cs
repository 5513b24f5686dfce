using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Networks;

public class NetworkCatalogTests
{
    [Fact]
    public void Lists_the_default_the_articles_and_the_pretrained_network()
    {
        Assert.Equal(["compact-cnn", "seed-baseline", "resnet18"], NetworkCatalog.Names);
        Assert.True(NetworkCatalog.Exists("Seed-Baseline"));
        Assert.False(NetworkCatalog.Exists("resnet50"));
    }

    [Fact]
    public void Creates_each_network_by_name_ignoring_case()
    {
        using var article = NetworkCatalog.Create("SEED-BASELINE", new ImageSize(400, 500));
        using var compact = NetworkCatalog.Create("compact-cnn", new ImageSize(96, 96));
        using var resNet = NetworkCatalog.Create("ResNet18", new ImageSize(96, 96));
        Assert.IsType<ArticleNetwork>(article);
        Assert.IsType<CompactCnn>(compact);
        Assert.IsType<ResNet18>(resNet);
    }

    [Fact]
    public void Unknown_names_are_refused_with_the_list_of_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkCatalog.Create("resnet50", new ImageSize(96, 96)));
        Assert.Contains("compact-cnn", error.Message);
        Assert.Throws<ArgumentException>(() => NetworkCatalog.SupportedSide("resnet50"));
    }

    [Theory]
    [InlineData("seed-baseline", 91, 640)]
    [InlineData("compact-cnn", 32, 512)]
    [InlineData("resnet18", 32, 512)]
    public void Sizes_outside_the_supported_sides_are_refused(string name, int min, int max)
    {
        Assert.Equal((min, max), NetworkCatalog.SupportedSide(name));
        Assert.Throws<ArgumentException>(() => NetworkCatalog.Create(name, new ImageSize(min - 1, min)));
        Assert.Throws<ArgumentException>(() => NetworkCatalog.Create(name, new ImageSize(min, max + 1)));
        using var smallest = NetworkCatalog.Create(name, new ImageSize(min, min));
        using var images = rand(1, 3, min, min);
        using var logits = smallest.call(images);
        Assert.Equal(new long[] { 1 }, logits.shape);
    }

    [Fact]
    public void The_articles_network_costs_615_million_multiply_accumulates_per_image_at_400x500()
    {
        // conv1 199x249x64x27 + conv2 99x124x64x576 + conv3 24x30x128x576 + conv4 11x14x128x1152
        // + dense 4480x256 + 256x512 + 512x1.
        Assert.Equal(615_237_440, NetworkCost.ForwardMultiplyAccumulates("seed-baseline", new ImageSize(400, 500)));
    }

    [Fact]
    public void Counting_multiply_accumulates_leaves_the_network_in_its_mode_and_without_hooks()
    {
        using var network = NetworkCatalog.Create("compact-cnn", new ImageSize(64, 64));
        network.train();
        var first = NetworkCost.ForwardMultiplyAccumulates(network, new ImageSize(64, 64));
        Assert.True(network.training);
        Assert.Equal(first, NetworkCost.ForwardMultiplyAccumulates(network, new ImageSize(64, 64)));
        // Cost grows with the pixel count: four times the pixels, four times the work (sides divisible by 16).
        Assert.Equal(4 * first - 3 * 256, NetworkCost.ForwardMultiplyAccumulates(network, new ImageSize(128, 128)));
    }
}
