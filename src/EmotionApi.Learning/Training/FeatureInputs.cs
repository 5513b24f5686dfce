using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// A frozen backbone's features as a head's inputs: [N, 2, F], each item's features and its mirror image's
/// (<see cref="BackboneFeatures"/>). A training batch takes one of the two per item, drawn at random when the run
/// flips images, so flipping costs no backbone pass; logits average the two when the run mirror-averages.
/// </summary>
internal sealed class FeatureInputs : ITrainingInputs
{
    private readonly Tensor features;
    private readonly bool mirrorAugmented;
    private readonly bool mirrorAveraged;

    /// <param name="features">[N, 2, F]; this object takes ownership.</param>
    public FeatureInputs(Tensor features, int batchSize, bool mirrorAugmented, bool mirrorAveraged)
    {
        if (features.dim() != 3 || features.shape[1] != 2)
            throw new ArgumentException($"Expected features [N, 2, F], got [{string.Join(", ", features.shape)}].", nameof(features));
        this.features = features.DetachFromDisposeScope();
        this.mirrorAugmented = mirrorAugmented;
        this.mirrorAveraged = mirrorAveraged;
        Count = (int)features.shape[0];
        BatchSize = Math.Max(1, Math.Min(batchSize, Count));
    }

    public int Count { get; }

    public int BatchSize { get; }

    /// <summary>[N, 2, F], owned by this object.</summary>
    public Tensor Features => features;

    public IEnumerable<Tensor> TrainingBatches(int[] order, Random random)
    {
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var count = Math.Min(BatchSize, order.Length - start);
            // Row 2i + v of the flattened [2N, F] view is item i's view v (0: as it is, 1: mirrored).
            var rows = new long[count];
            for (var i = 0; i < count; i++) rows[i] = 2L * order[start + i] + (mirrorAugmented && random.NextDouble() < 0.5 ? 1 : 0);
            yield return features.view(-1, features.shape[2]).index_select(0, torch.tensor(rows));
        }
    }

    public float[] Logits(nn.Module<Tensor, Tensor> network, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Count == 0) return [];
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var logits = network.forward(features.select(1, 0)).reshape(-1);
        if (mirrorAveraged) logits = logits.add(network.forward(features.select(1, 1)).reshape(-1)).div_(2);
        return logits.data<float>().ToArray();
    }

    public void Dispose() => features.Dispose();
}
