using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Networks;

public class NetworkCatalogTests
{
    [Fact]
    public void Lists_the_default_the_articles_the_pretrained_and_the_calibration_network()
    {
        Assert.Equal(["compact-cnn", "seed-baseline", "resnet18", "vgg8"], NetworkCatalog.Names);
        Assert.Equal(["resnet18"], NetworkCatalog.Names.Where(NetworkCatalog.IsPretrained));
        Assert.True(NetworkCatalog.Exists("Seed-Baseline"));
        Assert.False(NetworkCatalog.Exists("resnet50"));
    }

    [Fact]
    public void Creates_each_network_by_name_ignoring_case()
    {
        using var article = NetworkCatalog.Create("SEED-BASELINE", new ImageSize(400, 500));
        using var compact = NetworkCatalog.Create("compact-cnn", new ImageSize(96, 96));
        using var resNet = NetworkCatalog.Create("ResNet18", new ImageSize(96, 96));
        using var vgg = NetworkCatalog.Create("VGG8", new ImageSize(64, 64));
        Assert.IsType<Vgg8>(vgg);
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
    [InlineData("vgg8", 32, 512)]
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

    [Fact]
    public void The_calibration_network_has_eight_convolutions_of_32_to_256_channels_and_1_17_million_parameters()
    {
        using var network = NetworkCatalog.Create(NetworkCatalog.Vgg8, new ImageSize(64, 64));

        // 3x3 convolutions without bias 3-32-32-64-64-128-128-256-256 (1,171,296), batch norm (1,920), head 257.
        Assert.Equal(1_173_473, NetworkCost.TrainableParameters(network));
        // At 64x64: 64^2 x 32 x 27 + 4 x 37,748,736 (each block's second convolution) + 3 x 18,874,368 + the head's 256.
        Assert.Equal(211_157_248, NetworkCost.ForwardMultiplyAccumulates(network, new ImageSize(64, 64)));
    }
}
