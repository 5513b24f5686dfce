using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace EmotionApi.Bench;

/// <summary>The kinds of copy the audit must recognise as the same picture, each with random strength.</summary>
internal static class PictureCopies
{
    public static IReadOnlyList<string> Kinds { get; } = ["resized", "jpeg", "cropped", "brightened", "all four"];

    private static readonly PngEncoder Png = new() { CompressionLevel = PngCompressionLevel.BestSpeed };

    /// <summary>A copy of <paramref name="original"/> of the given kind, encoded.</summary>
    public static byte[] Make(Image<Rgb24> original, string kind, Random random)
    {
        using var copy = original.Clone();
        var jpegQuality = 0;
        switch (kind)
        {
            case "resized": Resize(copy, random); break;
            case "jpeg": jpegQuality = random.Next(50, 91); break;
            case "cropped": Crop(copy, random); break;
            case "brightened": Brighten(copy, random); break;
            case "all four":
                Crop(copy, random);
                Brighten(copy, random);
                Resize(copy, random);
                jpegQuality = random.Next(50, 91);
                break;
            default: throw new ArgumentException($"Unknown kind of copy '{kind}'.", nameof(kind));
        }
        using var stream = new MemoryStream();
        if (jpegQuality > 0) copy.Save(stream, new JpegEncoder { Quality = jpegQuality });
        else copy.Save(stream, Png);
        return stream.ToArray();
    }

    /// <summary>Down to 25-80 % of each side, or up to 150 %, keeping the aspect ratio (bicubic, ImageSharp's default).</summary>
    private static void Resize(Image<Rgb24> image, Random random)
    {
        var scale = random.NextDouble() < 0.8 ? 0.25 + 0.55 * random.NextDouble() : 1.1 + 0.4 * random.NextDouble();
        image.Mutate(context => context.Resize(Math.Max(8, (int)(image.Width * scale)), Math.Max(8, (int)(image.Height * scale))));
    }

    /// <summary>2-5 % of the width and of the height removed, split at random between the two sides.</summary>
    private static void Crop(Image<Rgb24> image, Random random)
    {
        var share = 0.02 + 0.03 * random.NextDouble();
        int cutX = (int)Math.Round(image.Width * share), cutY = (int)Math.Round(image.Height * share);
        int left = random.Next(cutX + 1), top = random.Next(cutY + 1);
        image.Mutate(context => context.Crop(new Rectangle(left, top, image.Width - cutX, image.Height - cutY)));
    }

    /// <summary>Brighter or darker by 10-20 % (a multiplication, clipped at white).</summary>
    private static void Brighten(Image<Rgb24> image, Random random)
    {
        var change = 0.1 + 0.1 * random.NextDouble();
        var factor = (float)(random.NextDouble() < 0.5 ? 1 + change : 1 - change);
        image.Mutate(context => context.Brightness(factor));
    }
}
