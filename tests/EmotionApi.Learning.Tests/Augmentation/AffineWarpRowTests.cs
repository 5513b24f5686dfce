using System.Runtime.Intrinsics.X86;
using EmotionApi.Learning.Augmentation;

namespace EmotionApi.Learning.Tests.Augmentation;

/// <summary>
/// The fused warp's row kernel (AVX2 on CPUs that have it, as this machine does) against the scalar one: the same floats,
/// bit for bit, so seeded runs and resumed checkpoints do not depend on the machine.
/// </summary>
public class AffineWarpRowTests
{
    // Widths below one 8-column block, of exactly one block plus the last column, and of blocks plus a longer tail.
    [Theory]
    [InlineData(5, 7)]
    [InlineData(6, 9)]
    [InlineData(13, 17)]
    [InlineData(11, 42)]
    public void The_vector_rows_equal_the_scalar_rows_for_random_transforms_flips_and_borders(int height, int width)
    {
        // Without AVX2 both calls run the scalar kernel: comparing it with itself would prove nothing.
        Assert.SkipUnless(Avx2.IsSupported, "This CPU has no AVX2: the vector row kernel is not used here.");
        var random = new Random(height * 100 + width);
        var source = new byte[height * width * 3];
        random.NextBytes(source);
        // Edge bytes at their extremes: the blend's clamp and the last column's and row's zero weights are reached.
        source.AsSpan(0, 3).Fill(255);
        source.AsSpan(source.Length - 3).Fill(0);

        var draws = new List<AffineDraw>
        {
            AffineDraw.Identity,
            // Whole-pixel shifts: integer coordinates, zero weights, the bottom-right pixel read at the source's end.
            new(0, 1, 1, 0, 1, 1, false),
            new(0, -2, -3, 0, 1, 1, true),
            // Far outside the image: every sample is a border sample.
            new(0, 3 * height, -3 * width, 0, 1, 1, false),
            new(90, 0, 0, 0, 1, 1, false),
            new(180, 0, 0, 0, 1, 1, true),
        };
        for (var i = 0; i < 40; i++)
        {
            draws.Add(new AffineDraw(
                RotationDegrees: random.NextDouble() * 360 - 180,
                ShiftRows: (random.NextDouble() - 0.5) * height,
                ShiftColumns: (random.NextDouble() - 0.5) * width,
                ShearDegrees: random.NextDouble() * 90 - 45,
                ZoomRows: 0.3 + random.NextDouble() * 1.7,
                ZoomColumns: 0.3 + random.NextDouble() * 1.7,
                FlipHorizontal: random.Next(2) == 1));
        }

        var vector = new float[width * 3];
        var scalar = new float[width * 3];
        foreach (var draw in draws)
        {
            var matrix = draw.PixelMatrix();
            for (var row = 0; row < height; row++)
            {
                // Sentinels: a pixel either kernel leaves unwritten shows as a difference.
                Array.Fill(vector, float.NaN);
                Array.Fill(scalar, -1f);
                AffineWarp.WarpBytesRow(source, vector, height, width, row, matrix);
                AffineWarp.WarpBytesRowScalar(source, scalar, height, width, row, matrix);
                for (var k = 0; k < vector.Length; k++)
                {
                    if (BitConverter.SingleToInt32Bits(vector[k]) != BitConverter.SingleToInt32Bits(scalar[k]))
                        Assert.Fail($"{draw}, row {row}, float {k}: vector {vector[k]:R}, scalar {scalar[k]:R}");
                }
            }
        }
    }
}
