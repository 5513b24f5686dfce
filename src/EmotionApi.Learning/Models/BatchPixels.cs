using EmotionApi.Learning.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Models;

/// <summary>
/// The bytes of one batch of prepared images in a native uint8 tensor [capacity, H, W, 3] (the images' own HWC order),
/// filled from an <see cref="IPreparedImageSource"/> and reused batch after batch: what <see cref="NetworkInput"/>
/// converts and the fused augmentation warps. Filling touches no torch state but the buffer's address, so a
/// background thread may fill one while the training thread uses another.
/// </summary>
internal sealed class BatchPixels : IDisposable
{
    private readonly Tensor buffer;
    private readonly int imageBytes;

    public BatchPixels(ImageSize size, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Size = size;
        Capacity = capacity;
        imageBytes = size.Height * size.Width * 3;
        buffer = torch.empty([capacity, size.Height, size.Width, 3], ScalarType.Byte);
        // Lives as long as this object, whatever dispose scope the constructor ran in.
        buffer.DetachFromDisposeScope();
    }

    /// <summary>A batch holding <paramref name="images"/> (all of one size) in order: for a few images at hand (an explanation, a test).</summary>
    public static BatchPixels Of(IReadOnlyList<PreparedImage> images)
    {
        ArgumentOutOfRangeException.ThrowIfZero(images.Count, nameof(images));
        var pixels = new BatchPixels(images[0].Size, images.Count);
        try
        {
            pixels.Fill(new PreparedImageList(images[0].Size, images), Enumerable.Range(0, images.Count).ToArray());
            return pixels;
        }
        catch
        {
            pixels.Dispose();
            throw;
        }
    }

    public ImageSize Size { get; }

    public int Capacity { get; }

    /// <summary>How many images the last <see cref="Fill"/> put in.</summary>
    public int Count { get; private set; }

    /// <summary>Reads <paramref name="source"/>[<paramref name="indices"/>[i]] into row i.</summary>
    public void Fill(IPreparedImageSource source, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (indices.Length < 1 || indices.Length > Capacity)
            throw new ArgumentOutOfRangeException(nameof(indices), $"A batch holds 1 to {Capacity} images, not {indices.Length}.");
        if (source.Size != Size)
            throw new ArgumentException($"The images are {source.Size}, this batch holds {Size}.", nameof(source));
        Count = 0;
        var target = buffer.bytes;
        for (var i = 0; i < indices.Length; i++) source.Read(indices[i], target.Slice(i * imageBytes, imageBytes));
        Count = indices.Length;
    }

    /// <summary>The filled rows, uint8 [Count, H, W, 3]: a view of the buffer, registered in the caller's dispose scope.</summary>
    public Tensor Rows()
    {
        if (Count == 0) throw new InvalidOperationException("The batch has not been filled.");
        return buffer.narrow(0, 0, Count);
    }

    public void Dispose() => buffer.Dispose();
}
