using EmotionApi.Learning.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Models;

/// <summary>
/// Turns prepared images (HWC RGB bytes) into a network's input: float [N, 3, H, W] scaled by 1/255,
/// Keras' rescale. The bytes are copied straight into a reusable native uint8 staging tensor, and torch
/// does the conversion: no per-pixel managed loop, no per-batch large allocation. The result keeps the
/// bytes' NHWC order in memory (PyTorch's channels_last: NCHW shape, NHWC strides), the layout the
/// networks run their oneDNN convolutions in, so no reordering copy is made here or there.
/// Training and prediction both go through it, so a model sees its inputs the same way in both.
/// </summary>
internal sealed class NetworkInput : IDisposable
{
    private const float Rescale = 1f / 255f;

    private readonly Tensor staging;
    private readonly ImageSize size;
    private readonly int imageBytes;

    public NetworkInput(ImageSize size, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.size = size;
        imageBytes = size.Height * size.Width * 3;
        staging = torch.empty([capacity, size.Height, size.Width, 3], ScalarType.Byte);
        // Lives as long as this object, whatever dispose scope the constructor ran in.
        staging.DetachFromDisposeScope();
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>
    /// Float [count, 3, H, W] (channels_last strides) in [0, 1] of <paramref name="images"/>[<paramref name="indices"/>[i]], registered in
    /// the caller's dispose scope. Not thread-safe: one instance per thread.
    /// </summary>
    public Tensor Batch(IReadOnlyList<PreparedImage> images, ReadOnlySpan<int> indices)
    {
        if (indices.Length < 1 || indices.Length > Capacity)
            throw new ArgumentOutOfRangeException(nameof(indices), $"A batch holds 1 to {Capacity} images, not {indices.Length}.");
        var target = staging.bytes;
        for (var i = 0; i < indices.Length; i++)
        {
            var image = images[indices[i]];
            if (image.Size != size)
                throw new ArgumentException($"Image {indices[i]} is {image.Size}, the network expects {size}.", nameof(images));
            image.Pixels.CopyTo(target.Slice(i * imageBytes, imageBytes));
        }
        using var rows = staging.narrow(0, 0, indices.Length);
        using var scaled = rows.to_type(ScalarType.Float32).mul_(Rescale);
        return scaled.permute(0, 3, 1, 2);
    }

    public void Dispose() => staging.Dispose();
}
