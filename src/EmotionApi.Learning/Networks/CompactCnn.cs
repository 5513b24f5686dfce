using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// The project's default network: a small VGG-style CNN with batch normalisation, "same" padding,
/// ReLU, global average pooling and dropout before a single-logit head (583,137 parameters, any input
/// side from 32 to 512). Against the article's network it adds what small datasets need: nonlinear
/// convolutions, normalised activations (fast, stable training at a higher learning rate) and no
/// 1.1M-weight dense layer to memorise 1,300 images; global pooling makes it size-independent.
/// The stride-2 stem halves the image first, so the costly full-resolution work stays small, and
/// channel widths (32-64-128-256) keep every later convolution compute-bound on two cores.
/// Returns logits [N]: the sigmoid belongs to the loss (BCE with logits) and to prediction.
/// </summary>
public sealed class CompactCnn : Module<Tensor, Tensor>, ILayeredNetwork
{
    public const int MinSide = 32;
    public const int MaxSide = 512;
    private const double HeadDropout = 0.3;

    private readonly ConvBatchNormRelu stem;
    private readonly ConvBatchNormRelu conv1;
    private readonly MaxPool2d pool1;
    private readonly ConvBatchNormRelu conv2a;
    private readonly ConvBatchNormRelu conv2b;
    private readonly MaxPool2d pool2;
    private readonly ConvBatchNormRelu conv3a;
    private readonly ConvBatchNormRelu conv3b;
    private readonly MaxPool2d pool3;
    private readonly ConvBatchNormRelu conv4;
    private readonly AdaptiveAvgPool2d globalPool;
    private readonly Flatten flatten;
    private readonly Dropout dropout;
    private readonly Linear head;

    public CompactCnn() : base(nameof(CompactCnn))
    {
        stem = new ConvBatchNormRelu(3, 32, stride: 2);   // H/2
        conv1 = new ConvBatchNormRelu(32, 32);
        pool1 = MaxPool2d(2);                              // H/4
        conv2a = new ConvBatchNormRelu(32, 64);
        conv2b = new ConvBatchNormRelu(64, 64);
        pool2 = MaxPool2d(2);                              // H/8
        conv3a = new ConvBatchNormRelu(64, 128);
        conv3b = new ConvBatchNormRelu(128, 128);
        pool3 = MaxPool2d(2);                              // H/16
        conv4 = new ConvBatchNormRelu(128, 256);
        globalPool = AdaptiveAvgPool2d(1);
        flatten = Flatten();
        dropout = Dropout(HeadDropout);
        head = Linear(256, 1);
        RegisterComponents();
    }

    /// <summary>
    /// False runs the convolutions on plain NCHW activations: only to measure what channels_last buys
    /// (the benchmark's layout comparison). Same results either way.
    /// </summary>
    internal bool UseChannelsLast { get; init; } = true;

    /// <summary>The forward pass's layers in order, without the dropout (inference's identity).</summary>
    IReadOnlyList<nn.Module> ILayeredNetwork.InferenceLayers =>
        [stem, conv1, pool1, conv2a, conv2b, pool2, conv3a, conv3b, pool3, conv4, globalPool, flatten, head];

    /// <summary><paramref name="images"/>: [N, 3, H, W] floats in [0, 1], sides of at least 32. Returns logits [N].</summary>
    public override Tensor forward(Tensor images)
    {
        ImageBatchShape.Check(images, minSide: MinSide);
        using var scope = NewDisposeScope();
        var x = UseChannelsLast ? ChannelsLast.Of(images) : images.contiguous();
        x = stem.call(x);
        x = pool1.call(conv1.call(x));
        x = pool2.call(conv2b.call(conv2a.call(x)));
        x = pool3.call(conv3b.call(conv3a.call(x)));
        x = conv4.call(x);
        x = flatten.call(globalPool.call(x));
        var logits = head.call(dropout.call(x)).squeeze(1);
        return logits.MoveToOuterDisposeScope();
    }
}
