using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Augmentation;

/// <summary>
/// The training loop's fused path, <see cref="BatchAugmenter.ApplyToBytes"/> (through <see cref="AugmentedInput"/>'s reused
/// buffer), against the two passes it replaces: NetworkInput's float batch, then <see cref="BatchAugmenter.Apply"/>.
/// </summary>
public class FusedAugmentationTests
{
    private static readonly ImageSize Size = new(13, 17);

    [Fact]
    public void Warping_the_bytes_equals_preparing_then_augmenting_and_draws_the_same()
    {
        var images = RandomImages(Size, count: 9, seed: 4);
        // A shuffled, partial batch: the loop's indices select images out of order.
        using var pixels = Pixels(images, [7, 2, 5, 0, 8], capacity: 8);
        var augmenter = new BatchAugmenter(AugmentationSettings.Article);
        var (twoPassRandom, fusedRandom) = (new Random(11), new Random(11));

        using var scope = NewDisposeScope();
        var expected = augmenter.Apply(NetworkInput.Batch(pixels), twoPassRandom);
        var fused = augmenter.ApplyToBytes(pixels.Rows(), fusedRandom);

        Assert.Equal(expected.shape, fused.shape);
        var difference = (fused - expected).abs().max().item<float>();
        Assert.True(difference <= 1e-6f, $"max difference {difference}");
        // The same System.Random consumption: every later shuffle and draw of a seeded run stays as it was.
        Assert.Equal(twoPassRandom.NextDouble(), fusedRandom.NextDouble());
        // Not trivially equal: the article's transforms moved the pixels.
        Assert.False(fused.allclose(NetworkInput.Batch(pixels), rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Warped_bytes_are_scaled_into_0_and_1_and_laid_out_channels_last()
    {
        var white = new PreparedImage(Size, Enumerable.Repeat((byte)255, Size.Height * Size.Width * 3).ToArray());
        var images = RandomImages(Size, count: 3, seed: 5).Append(white).ToArray();
        using var pixels = Pixels(images, [3, 0, 1, 2]);
        using var scope = NewDisposeScope();
        var fused = new BatchAugmenter(AugmentationSettings.Article).ApplyToBytes(pixels.Rows(), new Random(2));

        Assert.Equal([4L, 3, Size.Height, Size.Width], fused.shape);
        Assert.Equal(ScalarType.Float32, fused.dtype);
        Assert.True(ChannelsLast.Is(fused));
        Assert.True(fused.min().item<float>() >= 0 && fused.max().item<float>() <= 1);
        // Border padding repeats white edges: the white image stays white wherever it is sampled.
        Assert.Equal(1f, fused[0].min().item<float>(), 1e-6f);
    }

    [Fact]
    public void Identity_settings_give_the_prepared_batch_and_draw_nothing()
    {
        var images = RandomImages(Size, count: 4, seed: 6);
        using var pixels = Pixels(images, [3, 1]);
        var random = new Random(8);
        using var scope = NewDisposeScope();
        var fused = new BatchAugmenter(AugmentationSettings.None).ApplyToBytes(pixels.Rows(), random);

        Assert.True(fused.equal(NetworkInput.Batch(pixels)).all().item<bool>());
        Assert.Equal(new Random(8).NextDouble(), random.NextDouble());
    }

    [Fact]
    public void The_reused_buffer_gives_each_batch_as_a_new_one_would_short_last_batch_included()
    {
        var images = new PreparedImageList(Size, RandomImages(Size, count: 7, seed: 9));
        var augmenter = new BatchAugmenter(AugmentationSettings.Article);
        var (bufferedRandom, freshRandom) = (new Random(3), new Random(3));
        using var input = new AugmentedInput(augmenter, Size, capacity: 4);
        using var pixels = new BatchPixels(Size, capacity: 4);
        foreach (var indices in new[] { new[] { 6, 1, 3, 0 }, [2, 5, 4, 1], [3, 0] })
        {
            using var scope = NewDisposeScope();
            pixels.Fill(images, indices);
            var buffered = input.Batch(pixels, bufferedRandom);
            var fresh = augmenter.ApplyToBytes(pixels.Rows(), freshRandom);
            Assert.Equal(fresh.shape, buffered.shape);
            Assert.True(ChannelsLast.Is(buffered));
            Assert.True(buffered.equal(fresh).all().item<bool>());
        }
        Assert.Equal(freshRandom.NextDouble(), bufferedRandom.NextDouble());
    }

    [Fact]
    public void The_reused_buffer_refuses_batches_beyond_its_capacity_or_of_another_size()
    {
        using var input = new AugmentedInput(new BatchAugmenter(AugmentationSettings.Article), Size, capacity: 2);
        using var tooMany = Pixels(RandomImages(Size, count: 3, seed: 10), [0, 1, 2]);
        var otherSize = new ImageSize(17, 13);
        using var otherSized = Pixels(RandomImages(otherSize, count: 1, seed: 10), [0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => input.Batch(tooMany, new Random(1)));
        Assert.Throws<ArgumentException>(() => input.Batch(otherSized, new Random(1)));
    }

    [Fact]
    public void Pixels_that_are_not_a_uint8_batch_of_rgb_images_are_refused()
    {
        var augmenter = new BatchAugmenter(AugmentationSettings.Article);
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => augmenter.ApplyToBytes(zeros([2, Size.Height, Size.Width, 3], ScalarType.Float32), new Random(1)));
        Assert.Throws<ArgumentException>(() => augmenter.ApplyToBytes(zeros([2, Size.Height, Size.Width, 4], ScalarType.Byte), new Random(1)));
        Assert.Throws<ArgumentException>(() => augmenter.ApplyToBytes(zeros([0, Size.Height, Size.Width, 3], ScalarType.Byte), new Random(1)));
    }

    /// <summary>The images at <paramref name="indices"/> in a batch buffer, as the training loop's reader fills it.</summary>
    private static BatchPixels Pixels(PreparedImage[] images, int[] indices, int? capacity = null)
    {
        var size = images[indices[0]].Size;
        var pixels = new BatchPixels(size, capacity ?? indices.Length);
        pixels.Fill(new PreparedImageList(size, images), indices);
        return pixels;
    }

    private static PreparedImage[] RandomImages(ImageSize size, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var pixels = new byte[size.Height * size.Width * 3];
            random.NextBytes(pixels);
            return new PreparedImage(size, pixels);
        }).ToArray();
    }
}
