namespace EmotionApi.Learning.Images;

/// <summary>
/// Limits applied to every image before and while it is decoded: uploads are hostile
/// (ImageSharp 2.1 advisories, decompression bombs). Dimensions are checked from the header first.
/// </summary>
public sealed record ImageLimits
{
    public int MaxWidth { get; init; } = 10_000;
    public int MaxHeight { get; init; } = 10_000;
    public long MaxPixels { get; init; } = 40_000_000;
    /// <summary>Cap of ImageSharp's allocator for one decode.</summary>
    public int DecoderMemoryMegabytes { get; init; } = 512;

    public static ImageLimits Default { get; } = new();
}
