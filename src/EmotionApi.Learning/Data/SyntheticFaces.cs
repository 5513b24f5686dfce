using System.Globalization;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Learning.Data;

/// <summary>
/// The built-in sample dataset: smiling (Positive) versus frowning (Negative) cartoon faces with
/// varied colour, size, position, rotation, background and noise. Deterministic for a seed.
/// Learnable but not trivial: a tiny CNN needs a few epochs to separate the classes.
/// </summary>
/// <remarks>
/// Every image has its own <see cref="Random"/>, seeded from (seed, class, number), so images are
/// drawn in parallel and image "positive-0007" is the same whatever the count or the machine: the
/// drawing uses only IEEE-exact arithmetic (+, -, *, /, sqrt; no sin, cos or exp, whose last bits
/// vary between C runtimes), and ImageSharp's managed deflate encodes the same pixels to the same bytes.
/// </remarks>
public static class SyntheticFaces
{
    /// <summary>The top folder of the article's archive ("Dataset 50-50.zip" holds "dataset 50:50/Negative/...").</summary>
    public const string ArticleRootFolder = "dataset 50:50";

    private static readonly PngEncoder Encoder = new()
    {
        ColorType = PngColorType.Rgb,
        BitDepth = PngBitDepth.Bit8,
        // Level 1: much faster than the default level 6 for slightly larger files (docs/performance.md).
        CompressionLevel = PngCompressionLevel.BestSpeed,
    };

    /// <summary>Positive images: round(Count x PositiveShare), halves rounded up; the rest are Negative.</summary>
    public static int PositiveCount(SyntheticFacesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (int)Math.Round(options.Count * options.PositiveShare, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// The Negative images, then the Positive ones, named "negative-0001.png", "positive-0001.png"...
    /// Images are drawn in parallel a few at a time and yielded in order.
    /// </summary>
    /// <exception cref="ArgumentException">Options that cannot generate a dataset (see <see cref="SyntheticFacesOptions.Problem"/>).</exception>
    public static IEnumerable<GeneratedImage> Generate(SyntheticFacesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem) throw new ArgumentException(problem, nameof(options));
        return GenerateValidated(options);
    }

    /// <summary>
    /// Writes the dataset as a zip in the layout of the article's archive:
    /// "{rootFolder}/Negative/negative-0001.png", "{rootFolder}/Positive/positive-0001.png"...
    /// (at the archive's root when <paramref name="rootFolder"/> is empty). The stream stays open.
    /// </summary>
    public static void WriteZip(Stream destination, SyntheticFacesOptions options, string rootFolder = ArticleRootFolder)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(rootFolder);
        var prefix = rootFolder.Trim('/');
        if (prefix.Length > 0) prefix += "/";
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var image in Generate(options))
        {
            // PNG is already deflated: storing it is faster and barely larger.
            var entry = zip.CreateEntry($"{prefix}{image.Label}/{image.FileName}", CompressionLevel.NoCompression);
            entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero); // same archive bytes every run
            using var stream = entry.Open();
            stream.Write(image.Png);
        }
    }

    /// <summary>Draws one image of the dataset: <paramref name="number"/> counts from 1 within its class.</summary>
    public static GeneratedImage Draw(SyntheticFacesOptions options, EmotionClass label, int number)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem) throw new ArgumentException(problem, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        var canvas = new RgbCanvas(options.Width, options.Height);
        FaceScene.Sample(new Random(ImageSeed(options.Seed, label, number)), canvas, smiling: label == EmotionClass.Positive).Render(canvas);
        var name = $"{label.ToString().ToLowerInvariant()}-{number.ToString(NumberFormat(options.Count), CultureInfo.InvariantCulture)}.png";
        return new GeneratedImage(name, label, Encode(canvas));
    }

    /// <summary>
    /// Where the mouth and the bare background lie in image <paramref name="number"/> of its class (as <see cref="Draw"/> draws
    /// it), pixel by pixel, row-major: the pixels the mouth changes, and the pixels no shape touches (no face, no distractor).
    /// </summary>
    internal static (bool[] Mouth, bool[] Background) Regions(SyntheticFacesOptions options, EmotionClass label, int number)
    {
        var canvas = new RgbCanvas(options.Width, options.Height);
        var scene = FaceScene.Sample(new Random(ImageSeed(options.Seed, label, number)), canvas, smiling: label == EmotionClass.Positive);
        byte[] Render(FaceScene picture)
        {
            var target = new RgbCanvas(options.Width, options.Height);
            picture.Render(target);
            return target.ToBytes();
        }
        var full = Render(scene);
        var withoutMouth = Render(scene.WithShapes(index => index < scene.ShapeCount - 1));
        var bare = Render(scene.WithShapes(_ => false));
        var pixels = options.Width * options.Height;
        bool Differs(byte[] other, int pixel) => full[3 * pixel] != other[3 * pixel] || full[3 * pixel + 1] != other[3 * pixel + 1] || full[3 * pixel + 2] != other[3 * pixel + 2];
        return (Enumerable.Range(0, pixels).Select(pixel => Differs(withoutMouth, pixel)).ToArray(),
            Enumerable.Range(0, pixels).Select(pixel => !Differs(bare, pixel)).ToArray());
    }

    private static IEnumerable<GeneratedImage> GenerateValidated(SyntheticFacesOptions options)
    {
        var positives = PositiveCount(options);
        var negatives = options.Count - positives;
        // Small batches keep memory bounded (a 500x400 image is ~0.3 MB as PNG) while both cores draw.
        var batch = new GeneratedImage[Math.Max(8, 4 * Environment.ProcessorCount)];
        for (var start = 0; start < options.Count; start += batch.Length)
        {
            var size = Math.Min(batch.Length, options.Count - start);
            var first = start;
            Parallel.For(0, size, i =>
            {
                var index = first + i;
                batch[i] = index < negatives
                    ? Draw(options, EmotionClass.Negative, index + 1)
                    : Draw(options, EmotionClass.Positive, index - negatives + 1);
            });
            for (var i = 0; i < size; i++) yield return batch[i];
        }
    }

    private static string NumberFormat(int count) => "D" + Math.Max(4, count.ToString(CultureInfo.InvariantCulture).Length);

    /// <summary>SplitMix64's finaliser over (seed, class, number): independent, well-mixed seeds per image.</summary>
    private static int ImageSeed(int seed, EmotionClass label, int number)
    {
        var z = ((ulong)(uint)seed << 32) ^ ((ulong)label << 31) ^ (uint)number;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z >> 33);
    }

    private static byte[] Encode(RgbCanvas canvas)
    {
        using var image = Image.LoadPixelData<Rgb24>(canvas.ToBytes(), canvas.Width, canvas.Height);
        using var stream = new MemoryStream();
        image.Save(stream, Encoder);
        return stream.ToArray();
    }
}
