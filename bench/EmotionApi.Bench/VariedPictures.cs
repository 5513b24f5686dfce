using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Bench;

/// <summary>
/// Distinct pictures unlike each other, for the false-match side of the hash-distance sweep (the synthetic
/// faces all share one layout, so they are the hard case, not the typical one): a fractal value-noise
/// field through a random three-colour palette, like clouds, terrain or foliage, under 2 to 12 opaque or
/// translucent rectangles and ellipses. Deterministic for a seed.
/// </summary>
internal static class VariedPictures
{
    public static Image<Rgb24> Draw(int seed, int width, int height)
    {
        var random = new Random(seed);
        var palette = new[] { RandomColour(random), RandomColour(random), RandomColour(random) };
        var octaves = random.Next(2, 6);
        var baseCells = random.Next(2, 7);
        var field = FractalNoise(random, width, height, baseCells, octaves);

        var pixels = new float[width * height * 3];
        for (var i = 0; i < width * height; i++)
        {
            var t = field[i] * 2;
            var (from, to) = t < 1 ? (palette[0], palette[1]) : (palette[1], palette[2]);
            var s = t < 1 ? t : t - 1;
            for (var c = 0; c < 3; c++) pixels[3 * i + c] = from[c] + (to[c] - from[c]) * s;
        }

        var shapes = random.Next(2, 13);
        for (var k = 0; k < shapes; k++)
        {
            var colour = RandomColour(random);
            var opacity = random.NextDouble() < 0.5 ? 1f : 0.3f + 0.6f * (float)random.NextDouble();
            var ellipse = random.NextDouble() < 0.5;
            float cx = (float)random.NextDouble() * width, cy = (float)random.NextDouble() * height;
            float rx = width * (0.03f + 0.25f * (float)random.NextDouble()), ry = height * (0.03f + 0.25f * (float)random.NextDouble());
            int x0 = Math.Max(0, (int)(cx - rx)), x1 = Math.Min(width - 1, (int)(cx + rx));
            int y0 = Math.Max(0, (int)(cy - ry)), y1 = Math.Min(height - 1, (int)(cy + ry));
            for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
            {
                if (ellipse)
                {
                    float u = (x + 0.5f - cx) / rx, v = (y + 0.5f - cy) / ry;
                    if (u * u + v * v > 1) continue;
                }
                var i = (y * width + x) * 3;
                for (var c = 0; c < 3; c++) pixels[i + c] += (colour[c] - pixels[i + c]) * opacity;
            }
        }

        var bytes = new byte[pixels.Length];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(pixels[i] + 0.5f, 0, 255);
        return Image.LoadPixelData<Rgb24>(bytes, width, height);
    }

    /// <summary>Sum of octaves of bilinearly interpolated (smoothstep) lattice noise, scaled to [0, 1].</summary>
    private static float[] FractalNoise(Random random, int width, int height, int baseCells, int octaves)
    {
        var field = new float[width * height];
        var amplitude = 1f;
        var cells = baseCells;
        for (var octave = 0; octave < octaves; octave++, amplitude *= 0.5f, cells *= 2)
        {
            var columns = cells + 1;
            var rows = Math.Max(1, cells * height / width) + 1;
            var lattice = new float[columns * rows];
            for (var i = 0; i < lattice.Length; i++) lattice[i] = (float)random.NextDouble();
            for (var y = 0; y < height; y++)
            {
                var fy = (float)y / height * (rows - 1);
                var gy = Math.Min((int)fy, rows - 2);
                var ty = Smooth(fy - gy);
                for (var x = 0; x < width; x++)
                {
                    var fx = (float)x / width * (columns - 1);
                    var gx = Math.Min((int)fx, columns - 2);
                    var tx = Smooth(fx - gx);
                    float top = Lerp(lattice[gy * columns + gx], lattice[gy * columns + gx + 1], tx);
                    float bottom = Lerp(lattice[(gy + 1) * columns + gx], lattice[(gy + 1) * columns + gx + 1], tx);
                    field[y * width + x] += amplitude * Lerp(top, bottom, ty);
                }
            }
        }
        float min = field.Min(), max = field.Max();
        for (var i = 0; i < field.Length; i++) field[i] = (field[i] - min) / Math.Max(1e-6f, max - min);
        return field;

        static float Smooth(float t) => t * t * (3 - 2 * t);
        static float Lerp(float a, float b, float t) => a + (b - a) * t;
    }

    private static float[] RandomColour(Random random) => [random.Next(256), random.Next(256), random.Next(256)];
}
