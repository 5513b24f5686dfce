using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Augmentation;

/// <summary>
/// The training loop's augmented input: <see cref="BatchAugmenter.ApplyToBytes"/> into one float buffer of the batch
/// capacity, reused batch after batch. A new 77 MB batch (the article's 32 images of 400x500) is fresh memory from the
/// system every step, and faulting its pages in costs a sizeable share of the warp (docs/performance.md).
/// </summary>
internal sealed class AugmentedInput : IDisposable
{
    private readonly BatchAugmenter augmenter;
    private readonly Tensor buffer;
    private readonly ImageSize size;

    public AugmentedInput(BatchAugmenter augmenter, ImageSize size, int capacity)
    {
        ArgumentNullException.ThrowIfNull(augmenter);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.augmenter = augmenter;
        this.size = size;
        buffer = torch.empty([capacity, size.Height, size.Width, 3], ScalarType.Float32);
        // Lives as long as this object, whatever dispose scope the constructor ran in.
        buffer.DetachFromDisposeScope();
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>
    /// Float [count, 3, H, W] (channels_last strides) in [0, 1]: <paramref name="pixels"/>' images augmented with draws
    /// from <paramref name="random"/>, as <see cref="BatchAugmenter.ApplyToBytes"/> makes them. A view of the shared buffer,
    /// registered in the caller's dispose scope and overwritten by the next call: use it within the training step. Not
    /// thread-safe: one instance per thread.
    /// </summary>
    public Tensor Batch(BatchPixels pixels, Random random)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(random);
        if (pixels.Size != size)
            throw new ArgumentException($"The batch's images are {pixels.Size}, the network expects {size}.", nameof(pixels));
        if (pixels.Count > Capacity)
            throw new ArgumentOutOfRangeException(nameof(pixels), $"A batch holds 1 to {Capacity} images, not {pixels.Count}.");
        using var source = pixels.Rows();
        using var rows = buffer.narrow(0, 0, pixels.Count);
        return AffineWarp.ApplyToBytes(source, augmenter.Draws(random, pixels.Count, size), rows);
    }

    public void Dispose() => buffer.Dispose();
}
