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
        int[] indices = [7, 2, 5, 0, 8];
        var augmenter = new BatchAugmenter(AugmentationSettings.Article);
        var (twoPassRandom, fusedRandom) = (new Random(11), new Random(11));

        using var scope = NewDisposeScope();
        using var input = new NetworkInput(Size, capacity: 8);
        var expected = augmenter.Apply(input.Batch(images, indices), twoPassRandom);
        var fused = augmenter.ApplyToBytes(images, indices, fusedRandom);

        Assert.Equal(expected.shape, fused.shape);
        var difference = (fused - expected).abs().max().item<float>();
        Assert.True(difference <= 1e-6f, $"max difference {difference}");
        // The same System.Random consumption: every later shuffle and draw of a seeded run stays as it was.
        Assert.Equal(twoPassRandom.NextDouble(), fusedRandom.NextDouble());
        // Not trivially equal: the article's transforms moved the pixels.
        using var unaugmented = input.Batch(images, indices);
        Assert.False(fused.allclose(unaugmented, rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Warped_bytes_are_scaled_into_0_and_1_and_laid_out_channels_last()
    {
        var white = new PreparedImage(Size, Enumerable.Repeat((byte)255, Size.Height * Size.Width * 3).ToArray());
        var images = RandomImages(Size, count: 3, seed: 5).Append(white).ToArray();
        using var scope = NewDisposeScope();
        var fused = new BatchAugmenter(AugmentationSettings.Article).ApplyToBytes(images, [3, 0, 1, 2], new Random(2));

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
        int[] indices = [3, 1];
        var random = new Random(8);
        using var scope = NewDisposeScope();
        using var input = new NetworkInput(Size, capacity: 2);
        var fused = new BatchAugmenter(AugmentationSettings.None).ApplyToBytes(images, indices, random);

        Assert.True(fused.equal(input.Batch(images, indices)).all().item<bool>());
        Assert.Equal(new Random(8).NextDouble(), random.NextDouble());
    }

    [Fact]
    public void The_reused_buffer_gives_each_batch_as_a_new_one_would_short_last_batch_included()
    {
        var images = RandomImages(Size, count: 7, seed: 9);
        var augmenter = new BatchAugmenter(AugmentationSettings.Article);
        var (bufferedRandom, freshRandom) = (new Random(3), new Random(3));
        using var input = new AugmentedInput(augmenter, Size, capacity: 4);
        foreach (var indices in new[] { new[] { 6, 1, 3, 0 }, [2, 5, 4, 1], [3, 0] })
        {
            using var scope = NewDisposeScope();
            var buffered = input.Batch(images, indices, bufferedRandom);
            var fresh = augmenter.ApplyToBytes(images, indices, freshRandom);
            Assert.Equal(fresh.shape, buffered.shape);
            Assert.True(ChannelsLast.Is(buffered));
            Assert.True(buffered.equal(fresh).all().item<bool>());
        }
        Assert.Equal(freshRandom.NextDouble(), bufferedRandom.NextDouble());
    }

    [Fact]
    public void The_reused_buffer_refuses_batches_beyond_its_capacity_or_of_another_size()
    {
        var images = RandomImages(Size, count: 3, seed: 10).Append(RandomImages(new ImageSize(17, 13), count: 1, seed: 10)[0]).ToArray();
        using var input = new AugmentedInput(new BatchAugmenter(AugmentationSettings.Article), Size, capacity: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => input.Batch(images, [0, 1, 2], new Random(1)));
        Assert.Throws<ArgumentException>(() => input.Batch(images, [3, 0], new Random(1)));
    }

    [Fact]
    public void A_batch_of_mixed_sizes_is_refused()
    {
        var images = RandomImages(Size, count: 1, seed: 7).Concat(RandomImages(new ImageSize(17, 13), count: 1, seed: 7)).ToArray();
        var augmenter = new BatchAugmenter(AugmentationSettings.Article);
        Assert.Throws<ArgumentException>(() => augmenter.ApplyToBytes(images, [0, 1], new Random(1)));
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
