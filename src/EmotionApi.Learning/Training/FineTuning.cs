using EmotionApi.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// The optimizer and the per-epoch training mode of a run. A network trained from scratch has one parameter group at
/// the run's rate. A pretrained network (<see cref="IFineTunable"/>) has two: its backbone at
/// <see cref="TrainingSettings.BackboneLearningRateFactor"/> of the rate, its head at the full rate; during the first
/// <see cref="TrainingSettings.WarmupEpochs"/> its backbone is frozen (no gradients, batch norm in eval mode), and with
/// <see cref="TrainingSettings.FreezeBatchNorm"/> the backbone's batch normalisation keeps its pretrained statistics.
/// </summary>
internal sealed class FineTuning(TrainingSettings settings)
{
    // Keras' Adam epsilon (the article's optimizer); PyTorch's default is 1e-8.
    internal const double AdamEpsilon = 1e-7;

    /// <summary>Adam (AdamW with weight decay), one group per part of the network.</summary>
    public OptimizerHelper CreateOptimizer(nn.Module<Tensor, Tensor> network)
    {
        if (network is IFineTunable tunable)
        {
            // A group's missing options come from the optimizer's defaults below; rates are set every epoch.
            AdamW.ParamGroup Group(nn.Module part) => new() { Parameters = part.parameters().ToArray(), Options = new AdamW.Options() };
            return optim.AdamW([Group(tunable.Backbone), Group(tunable.Head)], settings.LearningRate, eps: AdamEpsilon, weight_decay: settings.WeightDecay);
        }
        return settings.WeightDecay > 0
            ? optim.AdamW(network.parameters(), settings.LearningRate, eps: AdamEpsilon, weight_decay: settings.WeightDecay)
            : optim.Adam(network.parameters(), settings.LearningRate, eps: AdamEpsilon);
    }

    /// <summary>The epoch's rate for every group: the backbone's group (the first of two) at its share.</summary>
    public void SetLearningRate(OptimizerHelper optimizer, nn.Module<Tensor, Tensor> network, double rate)
    {
        var groups = optimizer.ParamGroups.ToArray();
        for (var i = 0; i < groups.Length; i++)
            groups[i].LearningRate = network is IFineTunable && i == 0 ? rate * settings.BackboneLearningRateFactor : rate;
    }

    /// <summary>Training mode for epoch <paramref name="epoch"/> (1-based), with the backbone's parts frozen as the settings ask.</summary>
    public void BeginEpoch(nn.Module<Tensor, Tensor> network, int epoch)
    {
        network.train();
        if (network is not IFineTunable tunable) return;
        tunable.BackboneFrozen = epoch <= settings.WarmupEpochs;
        if (tunable.BackboneFrozen)
        {
            tunable.Backbone.eval();
        }
        else if (settings.FreezeBatchNorm)
        {
            foreach (var module in tunable.Backbone.modules())
                if (module is BatchNorm2d norm) norm.eval();
        }
    }

    /// <summary>Leaves no freeze behind once an epoch has trained: evaluation and the finished model see the whole network.</summary>
    public static void EndEpoch(nn.Module<Tensor, Tensor> network)
    {
        if (network is IFineTunable tunable) tunable.BackboneFrozen = false;
        network.eval();
    }
}
