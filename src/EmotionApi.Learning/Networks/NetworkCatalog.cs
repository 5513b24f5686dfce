using EmotionApi.Learning.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>The networks a run can use, by name. Every network maps a batch [N, 3, H, W] of floats in [0, 1] to logits [N].</summary>
public static class NetworkCatalog
{
    /// <summary>The article's network, exactly: <see cref="Networks.ArticleNetwork"/>.</summary>
    public const string ArticleNetwork = "seed-baseline";
    /// <summary><see cref="Networks.CompactCnn"/>, trained from scratch (preset `compact`, `tiny`).</summary>
    public const string CompactCnn = "compact-cnn";
    /// <summary>ResNet-18 pretrained on ImageNet with a new single-logit head: <see cref="Networks.ResNet18"/>.</summary>
    public const string ResNet18 = "resnet18";
    /// <summary>Eight 3x3 convolutions in VGG's pattern with global pooling: <see cref="Networks.Vgg8"/>.</summary>
    public const string Vgg8 = "vgg8";

    public static IReadOnlyList<string> Names { get; } = [CompactCnn, ArticleNetwork, ResNet18, Vgg8];

    public static bool Exists(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A network to train on inputs of <paramref name="inputSize"/>: freshly initialised (seeded by the caller through
    /// torch.manual_seed), except that a pretrained network's backbone starts from its pretrained weights.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name, or a side outside <see cref="SupportedSide"/>.</exception>
    /// <exception cref="FileNotFoundException">A pretrained network's weights file is missing.</exception>
    public static nn.Module<Tensor, Tensor> Create(string name, ImageSize inputSize) => Create(name, inputSize, channelsLast: true);

    /// <summary>
    /// The same layers as <see cref="Create(string, ImageSize)"/> without reading any pretrained weights: the shell a
    /// saved model's own weights are loaded into.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name, or a side outside <see cref="SupportedSide"/>.</exception>
    public static nn.Module<Tensor, Tensor> CreateForLoading(string name, ImageSize inputSize) =>
        Create(name, inputSize, channelsLast: true, pretrained: false);

    /// <summary>
    /// Execution choices that change speed, not results, for the benchmark's comparisons: plain NCHW activations
    /// instead of channels_last, the article network's conv1 and conv2 run apart instead of composed. And whether a
    /// pretrained network reads its pretrained weights (<see cref="CreateForLoading"/> does not).
    /// </summary>
    internal static nn.Module<Tensor, Tensor> Create(
        string name, ImageSize inputSize, bool channelsLast, bool composeFirstConvolutions = true, bool pretrained = true)
    {
        var (min, max) = SupportedSide(name);
        if (inputSize.Height < min || inputSize.Height > max || inputSize.Width < min || inputSize.Width > max)
            throw new ArgumentException($"Network '{name}' takes sides from {min} to {max} pixels, not {inputSize}.", nameof(inputSize));
        return Canonical(name) switch
        {
            ArticleNetwork => new Networks.ArticleNetwork(inputSize) { UseChannelsLast = channelsLast, ComposeFirstConvolutions = composeFirstConvolutions },
            ResNet18 => ResNet(pretrained, channelsLast),
            Vgg8 => new Networks.Vgg8(),
            _ => new CompactCnn { UseChannelsLast = channelsLast },
        };
    }

    /// <summary>
    /// True for a network that starts from pretrained weights and splits into a backbone and a head
    /// (<see cref="IFineTunable"/>): only these take a warm-up, a backbone rate, a frozen backbone or frozen batch norm.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static bool IsPretrained(string name) => Canonical(name) == ResNet18;

    /// <summary>The smallest and largest input sides (height and width alike) the network accepts.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static (int Min, int Max) SupportedSide(string name) => Canonical(name) switch
    {
        ArticleNetwork => (Networks.ArticleNetwork.MinSide, Networks.ArticleNetwork.MaxSide),
        ResNet18 => (Networks.ResNet18.MinSide, Networks.ResNet18.MaxSide),
        Vgg8 => (Networks.Vgg8.MinSide, Networks.Vgg8.MaxSide),
        _ => (Networks.CompactCnn.MinSide, Networks.CompactCnn.MaxSide),
    };

    private static Networks.ResNet18 ResNet(bool pretrained, bool channelsLast)
    {
        var network = pretrained ? Networks.ResNet18.Pretrained() : new Networks.ResNet18();
        network.UseChannelsLast = channelsLast;
        return network;
    }

    private static string Canonical(string name) =>
        Names.FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown network '{name}'. Networks: {string.Join(", ", Names)}.", nameof(name));
}
