using System.ComponentModel.DataAnnotations;
using EmotionApi.Learning.Images;

namespace EmotionApi.Datasets;

/// <summary>
/// Configuration section "Datasets": the limits every upload is held to. Uploads are hostile until
/// proven otherwise (zip bombs, zip slip, decompression-bomb images), so each limit has a safe default.
/// </summary>
public sealed class DatasetsOptions
{
    public const string Section = "Datasets";

    /// <summary>Largest zip accepted in one request. The article's archive was several hundred MB.</summary>
    [Range(1, 1_048_576)]
    public int MaxUploadMegabytes { get; set; } = 1024;

    /// <summary>Most entries (files and folders) an archive may list: checked before its directory is read.</summary>
    [Range(1, 10_000_000)]
    public int MaxEntries { get; set; } = 20_000;

    /// <summary>Most bytes all entries together may inflate to, counted while reading.</summary>
    [Range(1, 1_048_576)]
    public int MaxUncompressedMegabytes { get; set; } = 4096;

    /// <summary>Most an entry (and the archive as a whole) may inflate relative to its compressed size.</summary>
    [Range(2, 1_000_000)]
    public double MaxCompressionRatio { get; set; } = 100;

    /// <summary>Largest single image file; bigger files are skipped.</summary>
    [Range(1, 2048)]
    public int MaxImageMegabytes { get; set; } = 50;

    [Range(1, 100_000)]
    public int MaxImageWidth { get; set; } = 10_000;

    [Range(1, 100_000)]
    public int MaxImageHeight { get; set; } = 10_000;

    /// <summary>Most pixels of one image (width x height), checked from its header before decoding.</summary>
    [Range(1d, 1e10)]
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>Cap of the decoder's memory for one image.</summary>
    [Range(16, 65_536)]
    public int DecoderMemoryMegabytes { get; set; } = 512;

    public long MaxUploadBytes => MaxUploadMegabytes * Megabyte;
    public long MaxUncompressedBytes => MaxUncompressedMegabytes * Megabyte;
    public long MaxImageBytes => MaxImageMegabytes * Megabyte;

    public ImageLimits ToImageLimits() => new()
    {
        MaxWidth = MaxImageWidth,
        MaxHeight = MaxImageHeight,
        MaxPixels = MaxImagePixels,
        DecoderMemoryMegabytes = DecoderMemoryMegabytes,
    };

    internal const long Megabyte = 1024 * 1024;
}
