using EmotionApi.Learning.Images;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// The article's network, exactly (baseline-details.md, Baseline.ipynb): four 3x3 stride-2 convolutions
/// with "valid" padding and NO activation (Keras' default is linear), two 2x2 max pools, dense 256 and
/// 512 with ReLU and dropout 0.5, one output unit. 1,539,393 trainable parameters at 400x500.
/// The article's Dense(1, sigmoid) is split in two: this network returns the logit, and the sigmoid is
/// applied by the loss (binary cross-entropy with logits, numerically stable) or at prediction.
/// </summary>
/// <remarks>
/// Same math, less arithmetic: with no activation between them, conv1 (3x3 stride 2) followed by conv2
/// (3x3 stride 2) is one linear map, a 7x7 stride-4 convolution from 3 channels to 64. The forward pass
/// builds that kernel and bias from conv1's and conv2's parameters every step and convolves once; autograd
/// carries the gradients back to conv1 and conv2 through the composition, so the parameters, their
/// gradients and Adam's updates are the article's up to float rounding. It skips 199x249x64 activations per
/// image and cuts the multiply-accumulates of a training step about 4x (docs/performance.md).
/// </remarks>
public sealed class ArticleNetwork : Module<Tensor, Tensor>, IDescribedNetwork, ILayeredNetwork
{
    /// <summary>Smallest input side: four stride-2 convolutions and two pools must leave at least one pixel.</summary>
    public const int MinSide = 91;
    /// <summary>Largest input side: at 640 the first activation of a batch of 32 already takes 0.8 GB.</summary>
    public const int MaxSide = 640;

    private const int Kernel = 3;
    private const int Stride = 2;
    // conv2 after conv1: 3 + (3 - 1) x 2 pixels of the input, at stride 2 x 2.
    private const int ComposedKernel = Kernel + (Kernel - 1) * Stride;

    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly MaxPool2d pool1;
    private readonly Conv2d conv3;
    private readonly Conv2d conv4;
    private readonly MaxPool2d pool2;
    private readonly Flatten flatten;
    private readonly Linear dense1;
    private readonly ReLU relu1;
    private readonly Dropout dropout1;
    private readonly Linear dense2;
    private readonly ReLU relu2;
    private readonly Dropout dropout2;
    private readonly Linear output;

    public ArticleNetwork(ImageSize inputSize) : base(nameof(ArticleNetwork))
    {
        InputSize = inputSize;
        FlattenedFeatures = 128L * FeatureSide(inputSize.Height) * FeatureSide(inputSize.Width);

        conv1 = Conv2d(3, 64, Kernel, stride: Stride);
        conv2 = Conv2d(64, 64, Kernel, stride: Stride);
        pool1 = MaxPool2d(2);
        conv3 = Conv2d(64, 128, Kernel, stride: Stride);
        conv4 = Conv2d(128, 128, Kernel, stride: Stride);
        pool2 = MaxPool2d(2);
        // Keras flattens NHWC (height, width, channel), this flattens NCHW (channel, height, width): the
        // same function up to a fixed permutation of dense1's input weights.
        flatten = Flatten();
        dense1 = Linear(FlattenedFeatures, 256);
        relu1 = ReLU();
        dropout1 = Dropout(0.5);
        dense2 = Linear(256, 512);
        relu2 = ReLU();
        dropout2 = Dropout(0.5);
        output = Linear(512, 1);

        // Keras: glorot_uniform kernels (its default) for the convolutions and the output layer, he_normal
        // for the two hidden dense layers as the notebook asks, zero biases everywhere.
        foreach (var layer in new Module[] { conv1, conv2, conv3, conv4, output })
            InitializeKeras(layer, KerasInitializers.GlorotUniform);
        foreach (var layer in new Module[] { dense1, dense2 })
            InitializeKeras(layer, KerasInitializers.HeNormal);

        RegisterComponents();
    }

    public ImageSize InputSize { get; }

    /// <summary>
    /// False runs the convolutions on plain NCHW activations: only to measure what channels_last buys
    /// (the benchmark's layout comparison). Same results either way.
    /// </summary>
    internal bool UseChannelsLast { get; init; } = true;

    /// <summary>False runs conv1 and conv2 one after the other, as written: for tests and the benchmark's comparison.</summary>
    internal bool ComposeFirstConvolutions { get; init; } = true;

    /// <summary>Width of the flattened feature map: 128 x 5 x 7 = 4,480 at 400x500.</summary>
    public long FlattenedFeatures { get; }

    /// <summary><paramref name="images"/>: [N, 3, H, W] floats in [0, 1] at <see cref="InputSize"/>. Returns logits [N].</summary>
    public override Tensor forward(Tensor images)
    {
        ImageBatchShape.Check(images, InputSize);
        using var scope = NewDisposeScope();
        var x = UseChannelsLast ? ChannelsLast.Of(images) : images.contiguous();
        x = ComposeFirstConvolutions ? FirstConvolutionsComposed(x) : conv2.call(conv1.call(x));
        x = pool1.call(x);
        x = conv3.call(x);
        x = conv4.call(x);
        x = pool2.call(x);
        x = flatten.call(x);
        x = dropout1.call(relu1.call(dense1.call(x)));
        x = dropout2.call(relu2.call(dense2.call(x)));
        var logits = output.call(x).squeeze(1);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>The article's layers in order, conv1 and conv2 apart, without the dropouts (inference's identity).</summary>
    IReadOnlyList<nn.Module> ILayeredNetwork.InferenceLayers =>
        [conv1, conv2, pool1, conv3, conv4, pool2, flatten, dense1, relu1, dense2, relu2, output];

    // conv2(conv1(x)) as one 7x7 stride-4 convolution. Its kernel scatters every conv2 tap over a conv1 kernel
    // placed two pixels apart per tap: K[o, c, 2m + k, 2n + l] = sum_j W2[o, j, m, n] W1[j, c, k, l], which is
    // conv_transpose2d of W2 (as a batch of 64 "images" of 64 channels) with W1 at stride 2. Bias: conv2 sees
    // conv1's bias in all its taps, b = b2 + sum_(j,m,n) W2[o, j, m, n] b1[j]. "Valid" windows of conv2 only
    // ever read inside conv1's output, so the output size is the same: floor((n - 7) / 4) + 1 = floor((n - 3) / 4).
    private Tensor FirstConvolutionsComposed(Tensor x)
    {
        var (w1, b1, w2, b2) = (conv1.weight!, conv1.bias!, conv2.weight!, conv2.bias!);
        var kernel = nn.functional.conv_transpose2d(w2, w1, strides: [Stride, Stride]);
        var bias = b2 + w2.sum([2, 3]).matmul(b1);
        return nn.functional.conv2d(x, kernel, bias, strides: [2 * Stride, 2 * Stride]);
    }

    /// <summary>Its layers as the article specifies them: conv1 and conv2 apart.</summary>
    public IReadOnlyList<ArithmeticLayer> SpecifiedLayers => Layers(composeFirstConvolutions: false);

    /// <summary>Its layers as the forward pass runs them: conv1 and conv2 as one 7x7 stride-4 convolution unless told otherwise.</summary>
    public IReadOnlyList<ArithmeticLayer> ExecutedLayers => Layers(ComposeFirstConvolutions);

    private IReadOnlyList<ArithmeticLayer> Layers(bool composeFirstConvolutions)
    {
        var (h1, w1) = (ValidConvolution(InputSize.Height), ValidConvolution(InputSize.Width));
        var (h2, w2) = (ValidConvolution(h1), ValidConvolution(w1));
        var (h3, w3) = (ValidConvolution(h2 / 2), ValidConvolution(w2 / 2));
        var (h4, w4) = (ValidConvolution(h3), ValidConvolution(w3));
        ArithmeticLayer[] first = composeFirstConvolutions
            ? [new("conv1+conv2", conv2.weight!.shape[0] * h2 * w2, conv1.weight!.shape[1] * ComposedKernel * ComposedKernel)]
            : [ArithmeticLayer.Convolution("conv1", conv1, h1, w1), ArithmeticLayer.Convolution("conv2", conv2, h2, w2)];
        return
        [
            .. first,
            ArithmeticLayer.Convolution("conv3", conv3, h3, w3),
            ArithmeticLayer.Convolution("conv4", conv4, h4, w4),
            ArithmeticLayer.Dense("dense1", dense1),
            ArithmeticLayer.Dense("dense2", dense2),
            ArithmeticLayer.Dense("output", output),
        ];
    }

    /// <summary>Side of the last feature map for an input side: (conv s2, conv s2, pool 2) twice, integer arithmetic.</summary>
    public static int FeatureSide(int inputSide)
    {
        var side = inputSide;
        for (var block = 0; block < 2; block++)
        {
            side = ValidConvolution(side);
            side = ValidConvolution(side);
            side /= 2;
        }
        return side;
    }

    // Output side of a 3x3 stride-2 convolution without padding ("valid"); zero when nothing fits.
    private static int ValidConvolution(int side) => side < Kernel ? 0 : (side - Kernel) / Stride + 1;

    private static void InitializeKeras(Module layer, Action<Tensor> kernelInitializer)
    {
        var (weight, bias) = layer switch
        {
            Conv2d conv => (conv.weight!, conv.bias!),
            Linear dense => (dense.weight!, dense.bias!),
            _ => throw new ArgumentException($"No Keras initialiser for {layer.GetName()}."),
        };
        kernelInitializer(weight);
        KerasInitializers.Zeros(bias);
    }
}
