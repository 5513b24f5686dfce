using EmotionApi.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Training;

/// <summary>A network split as pretrained ones are, small enough to train in milliseconds: a convolutional backbone with batch norm, a linear head.</summary>
internal sealed class TinyPretrainedNetwork : nn.Module<Tensor, Tensor>, IFineTunable
{
    private readonly Sequential backbone;
    private readonly Linear head;

    public TinyPretrainedNetwork() : base(nameof(TinyPretrainedNetwork))
    {
        backbone = nn.Sequential(nn.Conv2d(3, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten());
        head = nn.Linear(8, 1);
        RegisterComponents();
    }

    public nn.Module<Tensor, Tensor> Backbone => backbone;

    public nn.Module<Tensor, Tensor> Head => head;

    public bool BackboneFrozen { get; set; }

    public BatchNorm2d Norm => (BatchNorm2d)backbone[1];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor features;
        if (BackboneFrozen)
        {
            using (no_grad()) features = backbone.call(input);
        }
        else
        {
            features = backbone.call(input);
        }
        return head.call(features).reshape(-1).MoveToOuterDisposeScope();
    }
}
