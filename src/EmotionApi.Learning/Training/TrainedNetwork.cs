using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>A trained network (in eval mode, owned by the caller) and how it got there.</summary>
/// <param name="FinalMonitorLogits">
/// The monitored set's logits from the returned network, when the monitor is not a validation part (so the last
/// epoch is kept) and this call ran that epoch; null otherwise. Lets the caller skip a second pass over the test set.
/// </param>
internal sealed record TrainedNetwork(
    nn.Module<Tensor, Tensor> Network, IReadOnlyList<EpochMetrics> History, int BestEpoch, float[]? FinalMonitorLogits = null);
