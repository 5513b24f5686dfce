using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Tests.Networks;

/// <summary>Real images for checking networks: the library's synthetic faces, and generated pictures with a photograph's statistics.</summary>
internal static class TestPictures
{
    /// <summary>Synthetic faces drawn at 1.3x the side and prepared (decoded, resized) as the service prepares uploads.</summary>
    public static IEnumerable<PreparedImage> Faces(int side, int count)
    {
        var options = new SyntheticFacesOptions { Count = count, Seed = 5, Width = side * 4 / 3, Height = side * 5 / 4 };
        return Enumerable.Range(1, count).Select(number =>
        {
            var label = number % 2 == 0 ? EmotionClass.Positive : EmotionClass.Negative;
            return ImageCodec.Prepare(SyntheticFaces.Draw(options, label, number).Png, new ImageSize(side, side), ImageLimits.Default);
        });
    }

    /// <summary>
    /// Pictures with the power spectrum of photographs (amplitude falling as 1/frequency: value noise summed over
    /// octaves), colour that varies together across channels, a sky-like gradient, and a few hard-edged objects.
    /// </summary>
    public static IEnumerable<PreparedImage> NaturalLooking(int side, int count, int seed = 11)
    {
        for (var n = 0; n < count; n++) yield return NaturalLooking(side, new Random(seed + n));
    }

    private static PreparedImage NaturalLooking(int side, Random random)
    {
        var plane = new double[side * side * 3];
        var tint = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
        for (var octave = 0; octave < 6; octave++)
        {
            var cells = 2 << octave;
            var amplitude = 1.0 / (1 << octave);
            var grid = new double[(cells + 1) * (cells + 1) * 3];
            for (var i = 0; i < grid.Length; i += 3)
            {
                // One luminance draw shared by the channels plus a little colour of its own.
                var luminance = random.NextDouble() - 0.5;
                for (var c = 0; c < 3; c++) grid[i + c] = luminance + 0.3 * (random.NextDouble() - 0.5);
            }
            for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
            {
                double gy = (double)y * cells / side, gx = (double)x * cells / side;
                int y0 = (int)gy, x0 = (int)gx;
                double fy = gy - y0, fx = gx - x0;
                for (var c = 0; c < 3; c++)
                {
                    double At(int yy, int xx) => grid[((yy * (cells + 1)) + xx) * 3 + c];
                    var value = (1 - fy) * ((1 - fx) * At(y0, x0) + fx * At(y0, x0 + 1)) + fy * ((1 - fx) * At(y0 + 1, x0) + fx * At(y0 + 1, x0 + 1));
                    plane[(y * side + x) * 3 + c] += amplitude * value;
                }
            }
        }
        for (var y = 0; y < side; y++)
        for (var x = 0; x < side; x++)
        for (var c = 0; c < 3; c++)
            plane[(y * side + x) * 3 + c] += 0.8 * tint[c] * (1 - (double)y / side);
        for (var shape = 0; shape < 3; shape++)
        {
            int top = random.Next(side), left = random.Next(side), height = random.Next(side / 8, side / 3), width = random.Next(side / 8, side / 3);
            var colour = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
            for (var y = top; y < Math.Min(side, top + height); y++)
            for (var x = left; x < Math.Min(side, left + width); x++)
            for (var c = 0; c < 3; c++)
                plane[(y * side + x) * 3 + c] = colour[c];
        }
        var (min, max) = (plane.Min(), plane.Max());
        var pixels = plane.Select(v => (byte)Math.Clamp(Math.Round((v - min) / (max - min) * 255), 0, 255)).ToArray();
        return new PreparedImage(new ImageSize(side, side), pixels);
    }
}
