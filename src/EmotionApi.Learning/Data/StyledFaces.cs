using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Learning.Data;

/// <summary>
/// A harder set of smiling and frowning faces than the sample dataset, for the model-quality benchmark: several drawing
/// styles (<see cref="FaceStyle"/>), each drawn over textured backgrounds and clutter, at any scale and position, partly
/// hidden, with grain, blur and JPEG artefacts (<see cref="StyledFaceScene"/>), and optionally a share of wrong labels.
/// A model trained on some styles and tested on others shows whether it learnt the mouth or the drawing.
/// </summary>
/// <remarks>
/// Every image has its own <see cref="Random"/> seeded from (seed, style, number) and is drawn in parallel; the same
/// options give the same pictures and the same flipped labels.
/// </remarks>
public static class StyledFaces
{
    // JPEG for 60% of the pictures, at qualities that leave visible blocks; PNG (exact pixels) for the rest.
    private const double JpegShare = 0.6;
    private const int MinJpegQuality = 20;
    private const int MaxJpegQuality = 85;

    private static readonly PngEncoder Png = new()
    {
        ColorType = PngColorType.Rgb,
        BitDepth = PngBitDepth.Bit8,
        CompressionLevel = PngCompressionLevel.BestSpeed,
    };

    /// <summary>
    /// Each style's images in the order of <see cref="StyledFacesOptions.Styles"/>: its Negative faces, then its Positive
    /// ones, named "{style}-{number}" (numbers run over the style's images). Drawn in parallel a few at a time.
    /// </summary>
    /// <exception cref="ArgumentException">Options that cannot generate a set (<see cref="StyledFacesOptions.Problem"/>).</exception>
    public static IEnumerable<StyledFace> Generate(StyledFacesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem) throw new ArgumentException(problem, nameof(options));
        return GenerateValidated(options);
    }

    /// <summary>How many of a style's <see cref="StyledFacesOptions.CountPerStyle"/> images carry the other class's label.</summary>
    public static int FlippedCount(StyledFacesOptions options) =>
        (int)Math.Round(options.CountPerStyle * options.LabelNoise, MidpointRounding.AwayFromZero);

    private static IEnumerable<StyledFace> GenerateValidated(StyledFacesOptions options)
    {
        var positives = (int)Math.Round(options.CountPerStyle * options.PositiveShare, MidpointRounding.AwayFromZero);
        var batch = new StyledFace[Math.Max(8, 4 * Environment.ProcessorCount)];
        foreach (var style in options.Styles)
        {
            var flipped = FlippedIndices(options, style);
            for (var start = 0; start < options.CountPerStyle; start += batch.Length)
            {
                var size = Math.Min(batch.Length, options.CountPerStyle - start);
                var first = start;
                Parallel.For(0, size, i =>
                {
                    var index = first + i;
                    var drawn = index < options.CountPerStyle - positives ? EmotionClass.Negative : EmotionClass.Positive;
                    batch[i] = Draw(options, style, drawn, index + 1, flipped.Contains(index));
                });
                for (var i = 0; i < size; i++) yield return batch[i];
            }
        }
    }

    private static StyledFace Draw(StyledFacesOptions options, FaceStyle style, EmotionClass drawn, int number, bool flip)
    {
        var random = new Random(ImageSeed(options.Seed, style, number));
        var canvas = new RgbCanvas(options.Width, options.Height);
        StyledFaceScene.Render(random, canvas, style, smiling: drawn == EmotionClass.Positive);
        var jpegQuality = random.NextDouble() < JpegShare ? random.Next(MinJpegQuality, MaxJpegQuality + 1) : 0;
        var name = $"{style.ToString().ToLowerInvariant()}-{number.ToString("D4", CultureInfo.InvariantCulture)}.{(jpegQuality > 0 ? "jpg" : "png")}";
        var label = flip ? Other(drawn) : drawn;
        return new StyledFace(name, style, label, drawn, Encode(canvas, jpegQuality));
    }

    // A seeded shuffle of the style's indices: the first FlippedCount are flipped, spread over both classes.
    private static HashSet<int> FlippedIndices(StyledFacesOptions options, FaceStyle style)
    {
        var indices = Enumerable.Range(0, options.CountPerStyle).ToArray();
        new Random(ImageSeed(options.Seed, style, 0)).Shuffle(indices);
        return indices.Take(FlippedCount(options)).ToHashSet();
    }

    private static EmotionClass Other(EmotionClass label) => label == EmotionClass.Positive ? EmotionClass.Negative : EmotionClass.Positive;

    /// <summary>SplitMix64's finaliser over (seed, style, number): independent, well-mixed seeds per image.</summary>
    private static int ImageSeed(int seed, FaceStyle style, int number)
    {
        var z = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)style << 24) ^ (uint)number ^ 0x5354594C45ul;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z >> 33);
    }

    private static byte[] Encode(RgbCanvas canvas, int jpegQuality)
    {
        using var image = Image.LoadPixelData<Rgb24>(canvas.ToBytes(), canvas.Width, canvas.Height);
        using var stream = new MemoryStream();
        if (jpegQuality > 0) image.Save(stream, new JpegEncoder { Quality = jpegQuality });
        else image.Save(stream, Png);
        return stream.ToArray();
    }
}
