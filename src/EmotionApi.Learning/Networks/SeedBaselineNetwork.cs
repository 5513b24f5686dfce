using EmotionApi.Learning.Images;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// The seed's network, exactly (baseline-details.md, Baseline.ipynb): four 3x3 stride-2 convolutions
/// with "valid" padding and NO activation (Keras' default is linear), two 2x2 max pools, dense 256 and
/// 512 with ReLU and dropout 0.5, one output unit. 1,539,393 trainable parameters at 400x500.
/// The seed's Dense(1, sigmoid) is split in two: this network returns the logit, and the sigmoid is
/// applied by the loss (binary cross-entropy with logits, numerically stable) or at prediction.
/// </summary>
public sealed class SeedBaselineNetwork : Module<Tensor, Tensor>
{
    /// <summary>Smallest input side: four stride-2 convolutions and two pools must leave at least one pixel.</summary>
    public const int MinSide = 91;
    /// <summary>Largest input side: at 640 the first activation of a batch of 32 already takes 0.8 GB.</summary>
    public const int MaxSide = 640;

    private const int Kernel = 3;
    private const int Stride = 2;

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

    public SeedBaselineNetwork(ImageSize inputSize) : base(nameof(SeedBaselineNetwork))
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

    /// <summary>Width of the flattened feature map: 128 x 5 x 7 = 4,480 at 400x500.</summary>
    public long FlattenedFeatures { get; }

    /// <summary><paramref name="images"/>: [N, 3, H, W] floats in [0, 1] at <see cref="InputSize"/>. Returns logits [N].</summary>
    public override Tensor forward(Tensor images)
    {
        ImageBatchShape.Check(images, InputSize);
        using var scope = NewDisposeScope();
        var x = UseChannelsLast ? ChannelsLast.Of(images) : images.contiguous();
        x = conv1.call(x);
        x = conv2.call(x);
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
