using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Augmentation;

public class BatchAugmenterTests
{
    private static readonly AugmentationSettings FlipOnly = new() { HorizontalFlip = true };

    [Fact]
    public void Identity_settings_return_the_batch_itself()
    {
        using var batch = rand(2, 3, 8, 8);
        var augmented = new BatchAugmenter(AugmentationSettings.None).Apply(batch, new Random(1));
        Assert.Same(batch, augmented);
    }

    [Fact]
    public void A_flip_is_a_flip_of_the_width_axis()
    {
        using var batch = rand(3, 3, 7, 10);
        using var flipped = new BatchAugmenter(FlipOnly).Apply(batch, new FixedRandom(0.25));
        using var expected = batch.flip(3);
        Assert.True(flipped.allclose(expected, rtol: 0, atol: 1e-6), $"max difference {(flipped - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void No_flip_drawn_leaves_the_pixels_as_they_were()
    {
        using var batch = rand(3, 3, 7, 10);
        using var kept = new BatchAugmenter(FlipOnly).Apply(batch, new FixedRandom(0.75));
        Assert.NotSame(batch, kept);
        Assert.True(kept.allclose(batch, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Flips_about_half_of_the_images()
    {
        using var batch = rand(400, 3, 1, 2);
        using var augmented = new BatchAugmenter(FlipOnly).Apply(batch, new Random(5));
        using var flippedMask = augmented[.., 0, 0, 0].isclose(batch[.., 0, 0, 1], rtol: 0, atol: 1e-6) &
                                augmented[.., 0, 0, 1].isclose(batch[.., 0, 0, 0], rtol: 0, atol: 1e-6);
        Assert.InRange(flippedMask.sum().item<long>(), 160, 240);
    }

    [Fact]
    public void A_positive_shift_draws_from_further_down_and_right_as_in_keras()
    {
        // Keras' shift matrix maps an output pixel to input + (tx, ty): content moves up and left.
        using var batch = Marker(height: 12, width: 16, row: 7, column: 9);
        using var shifted = BatchAugmenter.Transform(batch, [AffineDraw.Identity with { ShiftRows = 3, ShiftColumns = 5 }]);
        Assert.Equal(1f, shifted[0, 0, 4, 4].item<float>(), 1e-5f);
        Assert.Equal(1f, shifted.sum().item<float>() / 3, 1e-4f);
    }

    [Fact]
    public void Shifts_are_fractions_of_the_image_size()
    {
        // FixedRandom(0.9) draws (2 x 0.9 - 1) x 0.25 = 0.2 of the width: 4 of 20 pixels.
        var settings = new AugmentationSettings { WidthShift = 0.25 };
        using var batch = Marker(height: 10, width: 20, row: 5, column: 12);
        using var shifted = new BatchAugmenter(settings).Apply(batch, new FixedRandom(0.9));
        Assert.Equal(1f, shifted[0, 1, 5, 8].item<float>(), 1e-5f);
    }

    [Fact]
    public void Rotating_90_degrees_turns_a_square_image_exactly_about_its_centre()
    {
        // Keras' rotation matrix [[cos, -sin], [sin, cos]] on (row, column) maps output (r, c) to input (-c, r)
        // about the centre: torch.rot90 by -90 degrees over (H, W).
        using var batch = rand(2, 3, 8, 8);
        using var rotated = BatchAugmenter.Transform(batch, [AffineDraw.Identity with { RotationDegrees = 90 }, AffineDraw.Identity with { RotationDegrees = 180 }]);
        using var quarter = batch[0..1].rot90(3, (2, 3));
        using var half = batch[1..2].rot90(2, (2, 3));
        Assert.True(rotated[0..1].allclose(quarter, rtol: 0, atol: 1e-5));
        Assert.True(rotated[1..2].allclose(half, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Rotation_keeps_pixel_geometry_when_height_and_width_differ()
    {
        // 20x40 image, centre (9.5, 19.5). Input (12, 15) is (2.5, -4.5) from the centre; turned 90 degrees it
        // lands at (-4.5, -2.5) from the centre: output pixel (5, 17). Only that pixel may light up.
        using var batch = Marker(height: 20, width: 40, row: 12, column: 15);
        using var rotated = BatchAugmenter.Transform(batch, [AffineDraw.Identity with { RotationDegrees = 90 }]);
        Assert.Equal(1f, rotated[0, 2, 5, 17].item<float>(), 1e-4f);
        Assert.Equal(1f, rotated.sum().item<float>() / 3, 1e-3f);
    }

    [Fact]
    public void Matches_kerass_affine_transform_pixel_by_pixel()
    {
        var settings = AugmentationSettings.Article with { Shear = 25 };
        var augmenter = new BatchAugmenter(settings);
        const int height = 9, width = 13;
        var random = new Random(11);
        var draws = Enumerable.Range(0, 6).Select(_ => augmenter.Draw(random, height, width)).ToArray();
        using var batch = rand(draws.Length, 3, height, width);
        using var augmented = BatchAugmenter.Transform(batch, draws);
        for (var i = 0; i < draws.Length; i++)
        {
            var expected = KerasReference.Transform(batch[i].data<float>().ToArray(), height, width, draws[i]);
            var actual = augmented[i].contiguous().data<float>().ToArray();
            for (var k = 0; k < expected.Length; k++)
                Assert.True(Math.Abs(expected[k] - actual[k]) < 1e-4, $"image {i}, value {k}: expected {expected[k]}, got {actual[k]} ({draws[i]})");
        }
    }

    [Fact]
    public void Matches_torch_affine_grid_and_grid_sample_with_border_padding()
    {
        // The warp computes what affine_grid + grid_sample (bilinear, border, align_corners false) compute from
        // the same transform in normalised coordinates.
        var augmenter = new BatchAugmenter(AugmentationSettings.Article with { Shear = 15 });
        const int height = 23, width = 31;
        var random = new Random(5);
        var draws = Enumerable.Range(0, 5).Select(_ => augmenter.Draw(random, height, width)).ToArray();
        using var batch = rand(draws.Length, 3, height, width);
        using var warped = BatchAugmenter.Transform(batch, draws);
        using var theta = tensor(draws.SelectMany(d => d.Theta(height, width)).ToArray(), [draws.Length, 2, 3]);
        using var grid = nn.functional.affine_grid(theta, [draws.Length, 3, height, width], align_corners: false);
        using var sampled = nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        var difference = (warped - sampled).abs().max().item<float>();
        Assert.True(difference < 1e-4, $"max difference {difference}");
    }

    [Fact]
    public void Output_is_laid_out_channels_last_for_the_networks()
    {
        using var batch = rand(2, 3, 10, 12);
        using var augmented = new BatchAugmenter(AugmentationSettings.Article).Apply(batch, new Random(1));
        Assert.True(ChannelsLast.Is(augmented));
    }

    [Fact]
    public void Outputs_stay_within_0_and_1()
    {
        using var batch = rand(16, 3, 24, 30);
        batch[0].fill_(1);
        batch[1].fill_(0);
        using var augmented = new BatchAugmenter(AugmentationSettings.Article).Apply(batch, new Random(3));
        Assert.True(augmented.min().item<float>() >= 0);
        Assert.True(augmented.max().item<float>() <= 1);
        Assert.Equal(1f, augmented[0].min().item<float>(), 1e-6f);
    }

    [Fact]
    public void The_same_seed_gives_the_same_batch_and_another_seed_another()
    {
        var augmenter = new BatchAugmenter(AugmentationSettings.Article);
        using var batch = rand(4, 3, 20, 25);
        using var first = augmenter.Apply(batch, new Random(42));
        using var again = augmenter.Apply(batch, new Random(42));
        using var other = augmenter.Apply(batch, new Random(43));
        Assert.True(first.equal(again).all().item<bool>());
        Assert.False(first.allclose(other));
    }

    [Fact]
    public void Draws_follow_the_articles_ranges()
    {
        var augmenter = new BatchAugmenter(AugmentationSettings.Article);
        var random = new Random(7);
        var draws = Enumerable.Range(0, 4000).Select(_ => augmenter.Draw(random, 400, 500)).ToList();
        AssertSpread(draws.Select(d => d.RotationDegrees), -40, 40);
        AssertSpread(draws.Select(d => d.ShiftRows), -0.2 * 400, 0.2 * 400);
        AssertSpread(draws.Select(d => d.ShiftColumns), -0.2 * 500, 0.2 * 500);
        AssertSpread(draws.Select(d => d.ShearDegrees), -0.2, 0.2);
        AssertSpread(draws.Select(d => d.ZoomRows), 0.8, 1.2);
        AssertSpread(draws.Select(d => d.ZoomColumns), 0.8, 1.2);
        // Zoom factors per axis are independent draws, not one scale.
        Assert.True(draws.Count(d => Math.Abs(d.ZoomRows - d.ZoomColumns) > 0.1) > 1000);
        Assert.InRange(draws.Count(d => d.FlipHorizontal), 1800, 2200);
    }

    [Fact]
    public void Channels_last_batches_give_the_same_result()
    {
        var augmenter = new BatchAugmenter(AugmentationSettings.Article);
        using var batch = rand(3, 3, 16, 20);
        using var packed = ChannelsLast.Of(batch);
        using var fromPlain = augmenter.Apply(batch, new Random(9));
        using var fromPacked = augmenter.Apply(packed, new Random(9));
        Assert.True(fromPlain.allclose(fromPacked, rtol: 0, atol: 1e-6));
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(0, 1.5, 0)]
    [InlineData(0, 0, 1)]
    public void Out_of_range_settings_are_refused(double rotation, double widthShift, double zoom)
    {
        var settings = new AugmentationSettings { RotationDegrees = rotation, WidthShift = widthShift, Zoom = zoom };
        Assert.Throws<ArgumentException>(() => new BatchAugmenter(settings));
    }

    private static void AssertSpread(IEnumerable<double> values, double min, double max)
    {
        var list = values.ToList();
        Assert.All(list, v => Assert.InRange(v, min, max));
        var margin = 0.05 * (max - min);
        Assert.True(list.Min() < min + margin && list.Max() > max - margin, $"draws cover [{list.Min()}, {list.Max()}] of [{min}, {max}]");
    }

    // A one-image batch: zero everywhere, 1 in every channel at (row, column).
    private static Tensor Marker(int height, int width, int row, int column)
    {
        var batch = zeros(1, 3, height, width);
        batch[0, .., row, column] = tensor(1f);
        return batch;
    }

    /// <summary>A Random whose every draw is the same value: picks a branch of the augmenter on purpose.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
        protected override double Sample() => value;
    }
}
