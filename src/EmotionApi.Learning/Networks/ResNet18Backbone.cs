using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// ResNet-18 without its classifier, as the ImageNet model it carries defines it: He et al. 2016, table 1, the
/// 18-layer column, except that conv5_x holds three basic blocks instead of two. The package's ResNet18.onnx (a
/// CNTK export) has them: 15.9M parameters before the classifier where the paper's network has 11.2M. Images
/// [N, 3, H, W], RGB in [0, 1], become 512 features [N, 512]. The input is prepared the way the weights were
/// trained (<see cref="ResNet18OnnxImport"/>): pixels on the 0-255 scale, a mean image subtracted. Any side from
/// <see cref="ResNet18.MinSide"/> works; at 224 (the weights' own side) the features equal the imported graph's.
/// </summary>
public sealed class ResNet18Backbone : Module<Tensor, Tensor>
{
    public const int Features = 512;
    /// <summary>The side the ImageNet weights and their mean image were made for.</summary>
    public const int PretrainedSide = 224;
    internal const double BatchNormEpsilon = 1e-5;
    // The imported graph expects pixels on the 0-255 scale; the service's images are in [0, 1].
    private const float PixelScale = 255f;

    // RGB mean image on the 0-255 scale, [1, 3, 224, 224]: part of the weights, resized for other sides.
    private readonly Tensor meanImage;
    private readonly Conv2d conv1;            // conv1: 7x7, 64, stride 2
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;       // 3x3 max pool, stride 2
    private readonly Sequential layer1;       // conv2_x: [3x3, 64; 3x3, 64] x 2
    private readonly Sequential layer2;       // conv3_x: [3x3, 128; 3x3, 128] x 2, stride 2
    private readonly Sequential layer3;       // conv4_x: [3x3, 256; 3x3, 256] x 2, stride 2
    private readonly Sequential layer4;       // conv5_x: [3x3, 512; 3x3, 512] x 3, stride 2 (the imported model's 3)
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Flatten flatten;

    public ResNet18Backbone() : base(nameof(ResNet18Backbone))
    {
        // Lives as long as the module, whatever dispose scope the constructor runs in.
        meanImage = zeros(1, 3, PretrainedSide, PretrainedSide).DetachFromDisposeScope();
        conv1 = Conv2d(3, 64, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(64, eps: BatchNormEpsilon);
        relu = ReLU(inplace: true);
        maxpool = MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        layer1 = Stage(64, 64, stride: 1, blocks: 2);
        layer2 = Stage(64, 128, stride: 2, blocks: 2);
        layer3 = Stage(128, 256, stride: 2, blocks: 2);
        layer4 = Stage(256, 512, stride: 2, blocks: 3);
        avgpool = AdaptiveAvgPool2d(1);
        flatten = Flatten();
        using (no_grad())
            init.kaiming_normal_(conv1.weight!, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
        RegisterComponents();
    }

    /// <summary>
    /// False runs the convolutions on plain NCHW activations: only to measure what channels_last buys. Same results
    /// either way.
    /// </summary>
    internal bool UseChannelsLast { get; set; } = true;

    internal Tensor MeanImage => meanImage;
    internal Conv2d Conv1 => conv1;
    internal BatchNorm2d Norm1 => bn1;
    internal ReLU Relu => relu;
    internal MaxPool2d MaxPool => maxpool;
    internal AdaptiveAvgPool2d AveragePool => avgpool;
    internal Flatten Flattening => flatten;

    /// <summary>The factor pixels in [0, 1] are scaled by before the mean image is subtracted.</summary>
    internal const float InputScale = PixelScale;

    /// <summary>The nine basic blocks in the order data flows through them: layer1.0, layer1.1, ..., layer4.2.</summary>
    internal IReadOnlyList<ResNetBasicBlock> Blocks =>
        new[] { layer1, layer2, layer3, layer4 }.SelectMany(stage => stage.children().Cast<ResNetBasicBlock>()).ToList();

    /// <summary><paramref name="images"/>: [N, 3, H, W] RGB floats in [0, 1], sides of at least 32. Returns features [N, 512].</summary>
    public override Tensor forward(Tensor images)
    {
        ImageBatchShape.Check(images, minSide: ResNet18.MinSide);
        using var scope = NewDisposeScope();
        var x = Normalise(images);
        x = UseChannelsLast ? ChannelsLast.Of(x) : x.contiguous();
        x = maxpool.call(relu.call(bn1.call(conv1.call(x))));
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        return flatten.call(avgpool.call(x)).MoveToOuterDisposeScope();
    }

    // pixels x 255 - mean image.
    private Tensor Normalise(Tensor images) => images.mul(PixelScale).sub_(MeanAt(images.shape[2], images.shape[3]).to_type(images.dtype));

    /// <summary>The mean image at <paramref name="height"/> x <paramref name="width"/>: resized as the service resizes photos (bilinear, antialiased).</summary>
    internal Tensor MeanAt(long height, long width) => height == PretrainedSide && width == PretrainedSide
        ? meanImage.alias()
        : functional.interpolate(meanImage, [height, width], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);

    // The first block changes width and resolution; the others keep them.
    private static Sequential Stage(long inChannels, long outChannels, long stride, int blocks) =>
        Sequential(Enumerable.Range(0, blocks)
            .Select(i => (Module<Tensor, Tensor>)(i == 0 ? new ResNetBasicBlock(inChannels, outChannels, stride) : new ResNetBasicBlock(outChannels, outChannels)))
            .ToArray());
}
