using EmotionApi.Learning.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Learning.Explanations;

/// <summary>
/// Draws an explanation over the picture it explains, as a PNG: the heat resized (bilinear) to the picture, coloured from
/// blue (none) through green and yellow to red (the most), more opaque where the heat is stronger, so the picture stays
/// readable where nothing drove the label.
/// </summary>
public static class HeatmapOverlay
{
    private const float MinOpacity = 0.2f;
    private const float MaxOpacity = 0.65f;

    // The "jet" colour map's corners, from heat 0 to heat 1 in equal steps.
    private static readonly (float R, float G, float B)[] Colours =
        [(0, 0, 0.5f), (0, 0, 1), (0, 1, 1), (1, 1, 0), (1, 0, 0), (0.5f, 0, 0)];

    private static readonly PngEncoder Encoder = new() { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 };

    /// <param name="picture">The image, prepared at the size the PNG should have (any size: the heat is resized to it).</param>
    /// <param name="explanation">Its explanation.</param>
    public static byte[] Png(PreparedImage picture, Explanation explanation)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ArgumentNullException.ThrowIfNull(explanation);
        var (height, width) = (picture.Size.Height, picture.Size.Width);
        var pixels = new byte[height * width * 3];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var heat = Sample(explanation, (y + 0.5f) * explanation.Height / height - 0.5f, (x + 0.5f) * explanation.Width / width - 0.5f);
            var (r, g, b) = Colour(heat);
            var opacity = MinOpacity + (MaxOpacity - MinOpacity) * heat;
            var i = (y * width + x) * 3;
            pixels[i] = Blend(picture.Pixels[i], r, opacity);
            pixels[i + 1] = Blend(picture.Pixels[i + 1], g, opacity);
            pixels[i + 2] = Blend(picture.Pixels[i + 2], b, opacity);
        }
        using var image = Image.LoadPixelData<Rgb24>(pixels, width, height);
        using var stream = new MemoryStream();
        image.Save(stream, Encoder);
        return stream.ToArray();
    }

    /// <summary>The heat at a fractional position (half-pixel centres, edges clamped), as bilinear resizing reads it.</summary>
    private static float Sample(Explanation explanation, float row, float column)
    {
        row = Math.Clamp(row, 0, explanation.Height - 1);
        column = Math.Clamp(column, 0, explanation.Width - 1);
        int top = (int)row, left = (int)column;
        int bottom = Math.Min(top + 1, explanation.Height - 1), right = Math.Min(left + 1, explanation.Width - 1);
        float down = row - top, across = column - left;
        var upper = explanation.At(top, left) * (1 - across) + explanation.At(top, right) * across;
        var lower = explanation.At(bottom, left) * (1 - across) + explanation.At(bottom, right) * across;
        return upper * (1 - down) + lower * down;
    }

    private static (float R, float G, float B) Colour(float heat)
    {
        var position = Math.Clamp(heat, 0, 1) * (Colours.Length - 1);
        var low = Math.Min((int)position, Colours.Length - 2);
        var t = position - low;
        var (a, b) = (Colours[low], Colours[low + 1]);
        return (a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);
    }

    private static byte Blend(byte picture, float colour, float opacity) =>
        (byte)Math.Clamp(MathF.Round(picture * (1 - opacity) + colour * 255 * opacity), 0, 255);
}
