using EmotionApi.Learning.Images;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>Shape checks at a network's door, so a wrong batch fails with a sentence rather than a matmul error deep in libtorch.</summary>
internal static class ImageBatchShape
{
    /// <summary>Requires [N, 3, H, W] floats (float32; float64 for exactness checks); with <paramref name="expectedSize"/>, H x W must equal it.</summary>
    public static void Check(Tensor images, ImageSize? expectedSize = null, int minSide = 1)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"Expected a batch of RGB images [N, 3, H, W], got [{string.Join(", ", images.shape)}].", nameof(images));
        if (images.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"Expected float32 pixels in [0, 1], got {images.dtype}.", nameof(images));
        var (height, width) = (images.shape[2], images.shape[3]);
        if (expectedSize is { } size && (height != size.Height || width != size.Width))
            throw new ArgumentException($"This network was built for {size} inputs, got {height}x{width}.", nameof(images));
        if (height < minSide || width < minSide)
            throw new ArgumentException($"Images must be at least {minSide}x{minSide}, got {height}x{width}.", nameof(images));
    }
}
