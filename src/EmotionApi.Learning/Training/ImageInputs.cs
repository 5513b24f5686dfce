using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// Prepared images as a network's inputs: training batches warped straight from the images' bytes when the run
/// augments (one pass instead of preparing then warping, docs/performance.md), through the same preparation as
/// prediction otherwise; the batch buffers are reused pass after pass.
/// </summary>
internal sealed class ImageInputs : ITrainingInputs
{
    private readonly IReadOnlyList<PreparedImage> images;
    private readonly bool mirrorAveraged;
    private readonly NetworkInput? input;
    private readonly AugmentedInput? augmentedInput;

    /// <param name="mirrorAveraged">Logits are the mean of each image's and its mirror image's (<see cref="TrainingSettings.TestTimeFlip"/>).</param>
    public ImageInputs(IReadOnlyList<PreparedImage> images, AugmentationSettings augmentation, int batchSize, bool mirrorAveraged)
    {
        this.images = images;
        this.mirrorAveraged = mirrorAveraged;
        BatchSize = Math.Max(1, Math.Min(batchSize, images.Count));
        if (images.Count == 0) return;
        if (augmentation.IsIdentity)
            input = new NetworkInput(images[0].Size, BatchSize);
        else
            augmentedInput = new AugmentedInput(new BatchAugmenter(augmentation), images[0].Size, BatchSize);
    }

    public int Count => images.Count;

    public int BatchSize { get; }

    public IEnumerable<Tensor> TrainingBatches(int[] order, Random random)
    {
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var indices = order.AsMemory(start, Math.Min(BatchSize, order.Length - start));
            yield return augmentedInput?.Batch(images, indices.Span, random) ?? input!.Batch(images, indices.Span);
        }
    }

    public float[] Logits(nn.Module<Tensor, Tensor> network, CancellationToken cancellationToken) =>
        NetworkInference.Logits(network, images, BatchSize, cancellationToken, mirrorAveraged);

    public void Dispose()
    {
        input?.Dispose();
        augmentedInput?.Dispose();
    }
}
