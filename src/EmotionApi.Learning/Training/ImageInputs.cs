using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// Prepared images as a network's inputs, read batch by batch by the run's <see cref="BatchReader"/> (wherever the
/// images live): training batches warped straight from the images' bytes when the run augments (one pass instead of
/// preparing then warping, docs/performance.md), through the same preparation as prediction otherwise; the
/// augmentation buffer is reused pass after pass.
/// </summary>
internal sealed class ImageInputs : ITrainingInputs
{
    private readonly IPreparedImageSource images;
    private readonly BatchReader reader;
    private readonly bool mirrorAveraged;
    private readonly AugmentedInput? augmentedInput;

    /// <param name="reader">The run's reader (shared by its training and monitored inputs, one pass at a time; not owned).</param>
    /// <param name="mirrorAveraged">Logits are the mean of each image's and its mirror image's (<see cref="TrainingSettings.TestTimeFlip"/>).</param>
    public ImageInputs(IPreparedImageSource images, BatchReader reader, AugmentationSettings augmentation, bool mirrorAveraged)
    {
        this.images = images;
        this.reader = reader;
        this.mirrorAveraged = mirrorAveraged;
        BatchSize = Math.Max(1, Math.Min(reader.Capacity, images.Count));
        if (images.Count > 0 && !augmentation.IsIdentity)
            augmentedInput = new AugmentedInput(new BatchAugmenter(augmentation), images.Size, BatchSize);
    }

    public int Count => images.Count;

    public int BatchSize { get; }

    public IEnumerable<Tensor> TrainingBatches(int[] order, Random random)
    {
        foreach (var pixels in reader.Read(images, order))
            yield return augmentedInput?.Batch(pixels, random) ?? NetworkInput.Batch(pixels);
    }

    public float[] Logits(nn.Module<Tensor, Tensor> network, CancellationToken cancellationToken) =>
        NetworkInference.Logits(network, images, reader, cancellationToken, mirrorAveraged);

    public void Dispose() => augmentedInput?.Dispose();
}
