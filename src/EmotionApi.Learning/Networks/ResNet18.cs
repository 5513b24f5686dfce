using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// ResNet-18 pretrained on ImageNet (<see cref="ResNet18Backbone"/>, weights from <see cref="ResNet18ImageNetWeights"/>)
/// with a new single-logit head in place of ImageNet's 1,000 classes: what every mainstream tool starts from on a
/// small set of photos. 15.9M parameters (the imported model has a third block in its last stage); any input side
/// from 32 to 512, 224 being the side the weights learnt at.
/// Returns logits [N]: the sigmoid belongs to the loss (BCE with logits) and to prediction.
/// </summary>
public sealed class ResNet18 : Module<Tensor, Tensor>, IFineTunable, ILayeredNetwork
{
    /// <summary>Smallest input side: five halvings must leave at least one pixel.</summary>
    public const int MinSide = 32;
    /// <summary>Largest input side: at 512 a training batch of 16 already holds about 5x the activations of 224.</summary>
    public const int MaxSide = 512;

    private readonly ResNet18Backbone backbone;
    private readonly Linear head;

    /// <summary>Randomly initialised throughout (seeded by the caller through torch.manual_seed); see <see cref="Pretrained"/>.</summary>
    public ResNet18() : base(nameof(ResNet18))
    {
        backbone = new ResNet18Backbone();
        head = Linear(ResNet18Backbone.Features, 1);
        RegisterComponents();
    }

    /// <summary>
    /// The backbone with its ImageNet weights read from <paramref name="weightsPath"/> (by default the file the build
    /// ships, <see cref="ResNet18ImageNetWeights.ShippedPath"/>); the head freshly initialised.
    /// </summary>
    /// <exception cref="FileNotFoundException">The weights file is missing.</exception>
    public static ResNet18 Pretrained(string? weightsPath = null)
    {
        var network = new ResNet18();
        try
        {
            ResNet18ImageNetWeights.LoadInto(network.backbone, weightsPath ?? ResNet18ImageNetWeights.ShippedPath);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return network;
    }

    public ResNet18Backbone Backbone => backbone;

    /// <summary>False runs the convolutions on plain NCHW activations: only to measure what channels_last buys.</summary>
    internal bool UseChannelsLast
    {
        get => backbone.UseChannelsLast;
        set => backbone.UseChannelsLast = value;
    }

    /// <summary>The single-logit head: features [N, 512] to logits [N, 1].</summary>
    internal Linear Head => head;

    Module<Tensor, Tensor> IFineTunable.Backbone => backbone;

    Module<Tensor, Tensor> IFineTunable.Head => head;

    /// <summary>True computes the backbone's features without gradients: a warm-up step trains the head alone, 3 to 4 times faster.</summary>
    internal bool BackboneFrozen { get; set; }

    bool IFineTunable.BackboneFrozen
    {
        get => BackboneFrozen;
        set => BackboneFrozen = value;
    }

    /// <summary>The backbone's layers in order (its nine basic blocks as units), then the head.</summary>
    IReadOnlyList<nn.Module> ILayeredNetwork.InferenceLayers =>
        [backbone.Conv1, backbone.Norm1, backbone.Relu, backbone.MaxPool, .. backbone.Blocks, backbone.AveragePool, backbone.Flattening, head];

    /// <summary>Pixels on the 0-255 scale less the mean image at the input's size, as the pretrained weights expect.</summary>
    (float Scale, Tensor Offset)? ILayeredNetwork.InputNormalisation(Images.ImageSize size) =>
        (ResNet18Backbone.InputScale, backbone.MeanAt(size.Height, size.Width));

    /// <summary><paramref name="images"/>: [N, 3, H, W] RGB floats in [0, 1], sides of at least 32. Returns logits [N].</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        Tensor features;
        if (BackboneFrozen)
        {
            using (no_grad()) features = backbone.call(images);
        }
        else
        {
            features = backbone.call(images);
        }
        return head.call(features).squeeze(1).MoveToOuterDisposeScope();
    }
}
