using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// 3x3 convolution with "same" padding (no bias: batch norm's shift replaces it), batch normalisation,
/// ReLU. Kaiming-normal weights (fan-out, as torchvision's ResNets), the initialisation ReLU networks
/// train best from.
/// </summary>
public sealed class ConvBatchNormRelu : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d norm;
    private readonly ReLU relu;

    public ConvBatchNormRelu(long inChannels, long outChannels, long stride = 1) : base(nameof(ConvBatchNormRelu))
    {
        conv = Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, bias: false);
        norm = BatchNorm2d(outChannels);
        relu = ReLU(inplace: true);
        using (no_grad())
            init.kaiming_normal_(conv.weight!, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
        RegisterComponents();
    }

    internal Conv2d Convolution => conv;
    internal BatchNorm2d Normalisation => norm;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // In-place ReLU on batch norm's output (its backward does not need it): one activation-sized pass less.
        return relu.call(norm.call(conv.call(input))).MoveToOuterDisposeScope();
    }
}
