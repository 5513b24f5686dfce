using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Fuzz;

/// <summary>An encoded file: a name for what it is, the extension it travels under, its bytes.</summary>
internal sealed record Sample(string Name, string Extension, byte[] Bytes);

/// <summary>
/// The valid inputs the mutations start from, made once and the same for every seed: small pictures in each
/// supported encoding (and some the service refuses), unusual but valid images, and archive bombs.
/// </summary>
internal sealed class Corpus
{
    private Corpus(IReadOnlyList<Sample> images, IReadOnlyList<Sample> refusedFormats, IReadOnlyList<Sample> unusual, Bombs bombs)
    {
        Images = images;
        RefusedFormats = refusedFormats;
        Unusual = unusual;
        ArchiveBombs = bombs;
    }

    /// <summary>Small valid images in every supported format and several encodings of each.</summary>
    public IReadOnlyList<Sample> Images { get; }

    /// <summary>Formats ImageSharp knows and the service refuses (TIFF, TGA).</summary>
    public IReadOnlyList<Sample> RefusedFormats { get; }

    /// <summary>Valid but awkward: too wide, large, animated, with a compressed text bomb.</summary>
    public IReadOnlyList<Sample> Unusual { get; }

    public Bombs ArchiveBombs { get; }

    public sealed record Bombs(byte[] Ratio, byte[] ManyEntries, byte[] Overlapping, byte[] Nested);

    public static Corpus Create()
    {
        var pictures = Enumerable.Range(1, 3).Select(seed => Picture(40, 32, seed)).ToArray();
        try
        {
            var images = new List<Sample>();
            foreach (var (picture, index) in pictures.Select((picture, index) => (picture, index)))
            {
                images.Add(Encode(picture, $"png-rgb-{index}", "png", new PngEncoder { ColorType = PngColorType.Rgb }));
                images.Add(Encode(picture, $"jpeg-{index}", "jpg", new JpegEncoder { Quality = 80 }));
            }
            var first = pictures[0];
            images.Add(Encode(first, "png-rgba", "png", new PngEncoder { ColorType = PngColorType.RgbWithAlpha }));
            images.Add(Encode(first, "png-palette", "png", new PngEncoder { ColorType = PngColorType.Palette }));
            images.Add(Encode(first, "png-gray-16", "png", new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 }));
            images.Add(Encode(first, "png-interlaced", "png", new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 }));
            images.Add(Encode(first, "jpeg-gray", "jpeg", new JpegEncoder { Quality = 60, ColorType = JpegColorType.Luminance }));
            images.Add(Encode(first, "gif", "gif", new GifEncoder()));
            images.Add(Encode(first, "bmp-24", "bmp", new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }));
            images.Add(Encode(first, "bmp-32", "bmp", new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 }));
            images.Add(Encode(first, "bmp-8", "bmp", new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 }));
            images.Add(Encode(first, "webp-lossy", "webp", new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }));
            images.Add(Encode(first, "webp-lossless", "webp", new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }));

            var refused = new List<Sample>
            {
                Encode(first, "tiff", "tif", new TiffEncoder()),
                Encode(first, "tga", "tga", new TgaEncoder()),
            };
            return new Corpus(images, refused, UnusualImages(pictures), MakeBombs(images[0].Bytes));
        }
        finally
        {
            foreach (var picture in pictures) picture.Dispose();
        }
    }

    /// <summary>A zip of the given entries, every field but the names and contents fixed, so the same entries give the same bytes.</summary>
    public static byte[] Zip(IEnumerable<ZipItem> items)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var item in items)
            {
                var entry = zip.CreateEntry(item.Name, item.Stored ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
                entry.LastWriteTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
                if (item.UnixMode is { } mode) entry.ExternalAttributes = mode << 16;
                using var stream = entry.Open();
                stream.Write(item.Content);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>An entry of <see cref="Zip"/>: <paramref name="UnixMode"/> 0xA1FF makes a symbolic link.</summary>
    public sealed record ZipItem(string Name, byte[] Content, bool Stored = false, int? UnixMode = null);

    private static Image<Rgba32> Picture(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgba32>(width, height);
        var (r, g, b) = (random.Next(256), random.Next(256), random.Next(256));
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var inside = Math.Pow(x - width / 2.0, 2) + Math.Pow(y - height / 2.0, 2) < height * height / 9.0;
            image[x, y] = inside
                ? new Rgba32((byte)r, (byte)g, (byte)b, (byte)(200 + random.Next(56)))
                : new Rgba32((byte)(x * 6), (byte)(y * 7), (byte)random.Next(256), 255);
        }
        return image;
    }

    private static Sample Encode(Image image, string name, string extension, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return new Sample(name, extension, stream.ToArray());
    }

    private static List<Sample> UnusualImages(Image<Rgba32>[] pictures)
    {
        var unusual = new List<Sample>();
        using (var wide = new Image<L8>(20_000, 1)) unusual.Add(Encode(wide, "png-20000x1", "png", new PngEncoder()));
        using (var tall = new Image<L8>(1, 12_000)) unusual.Add(Encode(tall, "gif-1x12000", "gif", new GifEncoder()));
        using (var large = new Image<L8>(4_000, 3_000)) unusual.Add(Encode(large, "png-4000x3000", "png", new PngEncoder { ColorType = PngColorType.Grayscale }));
        using (var tiny = new Image<Rgba32>(1, 1)) unusual.Add(Encode(tiny, "png-1x1-transparent", "png", new PngEncoder()));
        using (var animated = pictures[0].Clone())
        {
            animated.Frames.AddFrame(pictures[1].Frames.RootFrame);
            animated.Frames.AddFrame(pictures[2].Frames.RootFrame);
            unusual.Add(Encode(animated, "gif-animated", "gif", new GifEncoder()));
        }
        unusual.Add(new Sample("png-ztxt-bomb", "png", PngChunks.WithCompressedText(Encode(pictures[0], "", "", new PngEncoder()).Bytes, 64 << 20)));
        return unusual;
    }

    private static Bombs MakeBombs(byte[] image)
    {
        // One entry inflating to 64 MB of zeros from about 64 KB: a ratio near 1,000.
        var zeros = new byte[64 << 20];
        var ratio = Zip([new ZipItem("Positive/bomb.png", zeros), new ZipItem("Negative/n.png", image)]);
        var many = Zip(Enumerable.Range(0, 20_001).Select(i => new ZipItem($"{(i % 2 == 0 ? "Positive" : "Negative")}/{i}.png", [], Stored: true)));
        var nested = Zip([new ZipItem("Positive/inner.zip", ratio), new ZipItem("Negative/n.png", image), new ZipItem("Positive/p.png", image)]);
        return new Bombs(ratio, many, ZipStructure.Overlapping(zeros.AsSpan(0, 8 << 20).ToArray(), entries: 500), nested);
    }
}
