using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Training;

/// <summary>
/// A network small enough to train in milliseconds, with what makes resuming hard: batch-norm buffers
/// (running statistics) and dropout (torch random draws).
/// </summary>
internal sealed class TinyNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d convolution;
    private readonly BatchNorm2d normalization;
    private readonly AdaptiveAvgPool2d pooling = nn.AdaptiveAvgPool2d(1);
    private readonly Dropout dropout = nn.Dropout(0.2);
    private readonly Linear output;

    public TinyNetwork(int channels = 8) : base(nameof(TinyNetwork))
    {
        convolution = nn.Conv2d(3, channels, 3, padding: 1);
        normalization = nn.BatchNorm2d(channels);
        output = nn.Linear(channels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = pooling.forward(nn.functional.relu(normalization.forward(convolution.forward(input)))).flatten(1);
        return output.forward(dropout.forward(features)).reshape(-1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            convolution.Dispose();
            normalization.Dispose();
            pooling.Dispose();
            dropout.Dispose();
            output.Dispose();
        }
        base.Dispose(disposing);
    }
}
