using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Training;

/// <summary>
/// A single-logit linear head on standardised features, (x - mean) / std, the training part's statistics: a logistic
/// regression that the optimizer reaches in a few epochs whatever the features' scales. A feature that barely varies
/// in training (a ReLU unit silent on every training image) is scaled as if it varied a tenth as much as a typical one,
/// not blown up by its own tiny deviation where an unseen image wakes it. Folded into a plain linear layer once trained
/// (<see cref="FoldInto"/>), so the finished network is the usual one.
/// </summary>
internal sealed class StandardisedHead : Module<Tensor, Tensor>
{
    private const double MinStdShare = 0.1;

    private readonly Tensor mean;
    private readonly Tensor std;
    private readonly Linear linear;

    /// <param name="features">The training features, any shape [..., F]: their per-feature mean and deviation.</param>
    public StandardisedHead(Tensor features) : base(nameof(StandardisedHead))
    {
        using (no_grad())
        {
            var rows = features.reshape(-1, features.shape[^1]);
            mean = rows.mean([0]).DetachFromDisposeScope();
            var deviations = rows.std(0, unbiased: false);
            std = deviations.clamp_min(Math.Max(MinStdShare * deviations.mean().item<float>(), 1e-6)).DetachFromDisposeScope();
        }
        linear = Linear(features.shape[^1], 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        return linear.call(features.sub(mean).div_(std)).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Writes the same function into <paramref name="head"/> (F inputs, 1 output): w / std, b - (w / std) . mean.</summary>
    public void FoldInto(Linear head)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weight = linear.weight!.div(std.unsqueeze(0));
        head.weight!.copy_(weight);
        head.bias!.copy_(linear.bias!.sub(weight.matmul(mean)));
    }
}
