using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// What a network trains on and is scored on, item by item: prepared images (<see cref="ImageInputs"/>) or a frozen
/// backbone's features (<see cref="FeatureInputs"/>). The training loop asks for a pass's batches and for logits; how
/// inputs are made, augmented and mirrored is the source's business.
/// </summary>
internal interface ITrainingInputs : IDisposable
{
    int Count { get; }

    /// <summary>Items per training batch; the last batch of a pass may be shorter.</summary>
    int BatchSize { get; }

    /// <summary>
    /// The network inputs of a training pass over <paramref name="order"/>, in batches of <see cref="BatchSize"/>,
    /// augmented with draws from <paramref name="random"/>. Each tensor is made when the enumerator moves to it, in the
    /// dispose scope current then, and may share memory with the next: use it before moving on.
    /// </summary>
    IEnumerable<Tensor> TrainingBatches(int[] order, Random random);

    /// <summary>Logits of every item in order, the network in eval mode, without gradients (mirror-averaged when the run asks).</summary>
    float[] Logits(nn.Module<Tensor, Tensor> network, CancellationToken cancellationToken);
}
