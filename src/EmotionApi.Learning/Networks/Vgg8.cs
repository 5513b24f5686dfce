using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// Eight 3x3 convolutions in VGG's pattern: four blocks of two conv-BN-ReLU layers (32, 64, 128 and 256 channels), a
/// 2x2 max pool between blocks, global average pooling and a single-logit head; 1,173,473 parameters, any input side
/// from 32 to 512. The network of issue 9's calibration (64x64 inputs, AdamW, a fixed cosine schedule): twice
/// compact-cnn's parameters and, without compact-cnn's stride-2 stem, about five times its work per pixel (211 M
/// multiply-accumulates per 64x64 image).
/// Returns logits [N]: the sigmoid belongs to the loss (BCE with logits) and to prediction.
/// </summary>
public sealed class Vgg8 : Module<Tensor, Tensor>
{
    public const int MinSide = 32;
    public const int MaxSide = 512;

    private readonly ConvBatchNormRelu conv1a;
    private readonly ConvBatchNormRelu conv1b;
    private readonly MaxPool2d pool1;
    private readonly ConvBatchNormRelu conv2a;
    private readonly ConvBatchNormRelu conv2b;
    private readonly MaxPool2d pool2;
    private readonly ConvBatchNormRelu conv3a;
    private readonly ConvBatchNormRelu conv3b;
    private readonly MaxPool2d pool3;
    private readonly ConvBatchNormRelu conv4a;
    private readonly ConvBatchNormRelu conv4b;
    private readonly AdaptiveAvgPool2d globalPool;
    private readonly Flatten flatten;
    private readonly Linear head;

    public Vgg8() : base(nameof(Vgg8))
    {
        conv1a = new ConvBatchNormRelu(3, 32);
        conv1b = new ConvBatchNormRelu(32, 32);
        pool1 = MaxPool2d(2);                              // H/2
        conv2a = new ConvBatchNormRelu(32, 64);
        conv2b = new ConvBatchNormRelu(64, 64);
        pool2 = MaxPool2d(2);                              // H/4
        conv3a = new ConvBatchNormRelu(64, 128);
        conv3b = new ConvBatchNormRelu(128, 128);
        pool3 = MaxPool2d(2);                              // H/8
        conv4a = new ConvBatchNormRelu(128, 256);
        conv4b = new ConvBatchNormRelu(256, 256);
        globalPool = AdaptiveAvgPool2d(1);
        flatten = Flatten();
        head = Linear(256, 1);
        RegisterComponents();
    }

    /// <summary><paramref name="images"/>: [N, 3, H, W] floats in [0, 1], sides of at least 32. Returns logits [N].</summary>
    public override Tensor forward(Tensor images)
    {
        ImageBatchShape.Check(images, minSide: MinSide);
        using var scope = NewDisposeScope();
        var x = ChannelsLast.Of(images);
        x = pool1.call(conv1b.call(conv1a.call(x)));
        x = pool2.call(conv2b.call(conv2a.call(x)));
        x = pool3.call(conv3b.call(conv3a.call(x)));
        x = conv4b.call(conv4a.call(x));
        return head.call(flatten.call(globalPool.call(x))).squeeze(1).MoveToOuterDisposeScope();
    }
}
