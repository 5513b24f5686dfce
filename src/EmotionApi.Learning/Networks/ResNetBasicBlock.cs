using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// ResNet's basic block (He et al. 2016, figure 2 left): two 3x3 convolutions with batch normalisation, the
/// block's input added back before the last ReLU. A block that changes the width or the resolution reaches
/// its input through a 1x1 convolution with batch normalisation (the paper's projection shortcut, option B);
/// the stride sits on the first 3x3 convolution, as in torchvision and the CNTK model this project imports.
/// Layer names follow torchvision's (conv1, bn1, conv2, bn2, downsample.0, downsample.1).
/// </summary>
public sealed class ResNetBasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    public ResNetBasicBlock(long inChannels, long outChannels, long stride = 1) : base(nameof(ResNetBasicBlock))
    {
        conv1 = Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels, eps: ResNet18Backbone.BatchNormEpsilon);
        relu = ReLU(inplace: true);
        conv2 = Conv2d(outChannels, outChannels, kernel_size: 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels, eps: ResNet18Backbone.BatchNormEpsilon);
        if (stride != 1 || inChannels != outChannels)
        {
            downsample = Sequential(
                Conv2d(inChannels, outChannels, kernel_size: 1, stride: stride, bias: false),
                BatchNorm2d(outChannels, eps: ResNet18Backbone.BatchNormEpsilon));
        }
        foreach (var conv in new[] { conv1, conv2 }.Concat(downsample?.children().OfType<Conv2d>() ?? []))
        {
            using (no_grad())
                init.kaiming_normal_(conv.weight!, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
        }
        RegisterComponents();
    }

    /// <summary>True when the shortcut is a 1x1 convolution with batch normalisation rather than the identity.</summary>
    public bool HasProjectionShortcut => downsample is not null;

    internal Conv2d Conv1 => conv1;
    internal BatchNorm2d Norm1 => bn1;
    internal Conv2d Conv2 => conv2;
    internal BatchNorm2d Norm2 => bn2;
    internal Conv2d? ShortcutConv => (Conv2d?)downsample?[0];
    internal BatchNorm2d? ShortcutNorm => (BatchNorm2d?)downsample?[1];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var shortcut = downsample is null ? input : downsample.call(input);
        var x = relu.call(bn1.call(conv1.call(input)));
        x = bn2.call(conv2.call(x));
        // In place on batch norm's output and on the sum: neither's backward needs the value overwritten.
        return x.add_(shortcut).relu_().MoveToOuterDisposeScope();
    }
}
