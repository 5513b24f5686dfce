using EmotionApi.Learning.Images;
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
    /// Float [count, 3, H, W] (channels_last strides) in [0, 1]: <paramref name="images"/>[<paramref name="indices"/>[i]]
    /// augmented with draws from <paramref name="random"/>, as <see cref="BatchAugmenter.ApplyToBytes"/> makes them. A view
    /// of the shared buffer, registered in the caller's dispose scope and overwritten by the next call: use it within
    /// the training step. Not thread-safe: one instance per thread.
    /// </summary>
    public Tensor Batch(IReadOnlyList<PreparedImage> images, ReadOnlySpan<int> indices, Random random)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(random);
        if (indices.Length < 1 || indices.Length > Capacity)
            throw new ArgumentOutOfRangeException(nameof(indices), $"A batch holds 1 to {Capacity} images, not {indices.Length}.");
        var first = images[indices[0]].Size;
        if (first != size)
            throw new ArgumentException($"Image {indices[0]} is {first}, the network expects {size}.", nameof(images));
        using var rows = buffer.narrow(0, 0, indices.Length);
        return AffineWarp.ApplyToBytes(images, indices, augmenter.Draws(random, indices.Length, size), rows);
    }

    public void Dispose() => buffer.Dispose();
}
