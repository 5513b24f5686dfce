using EmotionApi.Learning.Images;
using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Tests.Training;

/// <summary>
/// Prepared images made directly as bytes: Positive ones redder than blue, Negative ones bluer, under noise.
/// Learnable in a few epochs by <see cref="TinyNetwork"/>.
/// </summary>
internal static class SyntheticPixels
{
    public static readonly ImageSize Size = new(8, 8);

    public static LabeledImages Make(int count, int seed, bool invertLabels = false)
    {
        var random = new Random(seed);
        var images = new PreparedImage[count];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            var positive = random.NextDouble() < 0.6;
            var pixels = new byte[Size.Height * Size.Width * 3];
            for (var p = 0; p < pixels.Length; p += 3)
            {
                var (red, blue) = positive ? (150, 100) : (100, 150);
                pixels[p] = (byte)Math.Clamp(red + random.Next(-60, 61), 0, 255);
                pixels[p + 1] = (byte)random.Next(0, 256);
                pixels[p + 2] = (byte)Math.Clamp(blue + random.Next(-60, 61), 0, 255);
            }
            images[n] = new PreparedImage(Size, pixels);
            labels[n] = positive ^ invertLabels ? 1 : 0;
        }
        return new LabeledImages(new PreparedImageList(Size, images), labels);
    }
}
