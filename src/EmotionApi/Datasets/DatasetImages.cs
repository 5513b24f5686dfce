using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using EmotionApi.Shared;
using Microsoft.Extensions.Caching.Memory;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Datasets;

/// <summary>
/// A dataset's images for people to look at: pages of them per class, each file as stored, and small JPEG thumbnails
/// made through the same checked decoder as training (limits applied, transparency onto white). A dataset never
/// changes, so its image list and thumbnails are cached (bounded) for as long as it exists.
/// </summary>
public sealed class DatasetImages(DatasetStore store, ImageLimits limits) : IDisposable
{
    public const int DefaultThumbnailSide = 96;
    public const int MinThumbnailSide = 32;
    public const int MaxThumbnailSide = 256;
    public const int MaxPageSize = 200;

    private const long CacheBytes = 64L * 1024 * 1024;
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = CacheBytes });

    /// <exception cref="NotFoundException">No such dataset.</exception>
    /// <exception cref="ValidationException">An offset below 0 or a limit outside 1 to <see cref="MaxPageSize"/>.</exception>
    public DatasetImagePage List(string datasetId, EmotionClass? label, int offset, int limit)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (offset < 0) errors["offset"] = [$"offset must be 0 or more, not {offset}."];
        if (limit is < 1 or > MaxPageSize) errors["limit"] = [$"limit must be from 1 to {MaxPageSize}, not {limit}."];
        if (errors.Count > 0) throw new ValidationException(errors);

        var matching = Stored(datasetId)
            .Select((entry, index) => (entry.Image, Index: index))
            .Where(entry => label is null || entry.Image.Class == label)
            .ToList();
        var page = matching.Skip(offset).Take(limit).Select(entry => View(datasetId, entry.Index, entry.Image)).ToList();
        return new DatasetImagePage(matching.Count, offset, page);
    }

    /// <summary>One image's description.</summary>
    /// <exception cref="NotFoundException">No such dataset or image.</exception>
    public DatasetImageView Describe(string datasetId, int index) => View(datasetId, index, Find(datasetId, index).Image);

    /// <exception cref="ValidationException"><paramref name="side"/> outside <see cref="MinThumbnailSide"/> to <see cref="MaxThumbnailSide"/>.</exception>
    public static void CheckThumbnailSide(int side)
    {
        if (side is < MinThumbnailSide or > MaxThumbnailSide)
            throw new ValidationException("size", $"size must be from {MinThumbnailSide} to {MaxThumbnailSide} pixels, not {side}.");
    }

    /// <summary>The file as stored and its media type (from the format its header proved at upload).</summary>
    /// <exception cref="NotFoundException">No such dataset or image.</exception>
    public (byte[] Content, string MediaType) Original(string datasetId, int index)
    {
        var (image, path) = Find(datasetId, index);
        return (ReadFile(datasetId, path), "image/" + image.Format);
    }

    /// <summary>A JPEG whose longest side is <paramref name="side"/> pixels (never larger than the image), aspect ratio kept.</summary>
    /// <exception cref="NotFoundException">No such dataset or image.</exception>
    /// <exception cref="ValidationException"><paramref name="side"/> outside <see cref="MinThumbnailSide"/> to <see cref="MaxThumbnailSide"/>.</exception>
    public byte[] Thumbnail(string datasetId, int index, int side)
    {
        CheckThumbnailSide(side);
        var (image, path) = Find(datasetId, index);
        return cache.GetOrCreate(("thumbnail", datasetId, index, side), entry =>
        {
            var bytes = MakeThumbnail(ReadFile(datasetId, path), image, side);
            entry.Size = bytes.Length;
            return bytes;
        })!;
    }

    public void Dispose() => cache.Dispose();

    private byte[] MakeThumbnail(byte[] encoded, StoredImage image, int side)
    {
        var scale = Math.Min(1.0, (double)side / Math.Max(image.Width, image.Height));
        var size = new ImageSize(Math.Max(1, (int)Math.Round(image.Height * scale)), Math.Max(1, (int)Math.Round(image.Width * scale)));
        var prepared = ImageCodec.Prepare(encoded, size, limits);
        using var thumbnail = Image.LoadPixelData<Rgb24>(prepared.Pixels, size.Width, size.Height);
        using var output = new MemoryStream();
        thumbnail.SaveAsJpeg(output, new JpegEncoder { Quality = 85 });
        return output.ToArray();
    }

    private (StoredImage Image, string Path) Find(string datasetId, int index)
    {
        var images = Stored(datasetId);
        if (index < 0 || index >= images.Count)
            throw new NotFoundException("Image not found", $"Dataset '{datasetId}' has images 0 to {images.Count - 1}; there is no image {index}.");
        return images[index];
    }

    /// <summary>The dataset's images, cached once read: the check that it still exists is made every time.</summary>
    private IReadOnlyList<(StoredImage Image, string Path)> Stored(string datasetId)
    {
        if (!store.Exists(datasetId)) throw NotFoundException.For("Dataset", datasetId);
        return cache.GetOrCreate(("images", datasetId), entry =>
        {
            var images = store.GetStoredImages(datasetId) ?? throw NotFoundException.For("Dataset", datasetId);
            entry.Size = 256L * Math.Max(1, images.Count);
            return images;
        })!;
    }

    private static byte[] ReadFile(string datasetId, string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFoundException.For("Dataset", datasetId); // deleted since the check
        }
    }

    private static DatasetImageView View(string datasetId, int index, StoredImage image)
    {
        var url = $"/api/datasets/{datasetId}/images/{index}";
        return new DatasetImageView(index, image.OriginalName, image.Class, image.Format, image.Width, image.Height, image.Bytes, url, url + "/thumbnail");
    }
}
