using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using TorchSharp;

namespace EmotionApi.Learning.Tests.Models;

public sealed class NetworkInputTests
{
    private static PreparedImage Image(ImageSize size, int offset) =>
        new(size, Enumerable.Range(0, size.Height * size.Width * 3).Select(i => (byte)((i * 7 + offset) % 256)).ToArray());

    private static void Fill(BatchPixels pixels, PreparedImage[] images, int[] indices) =>
        pixels.Fill(new PreparedImageList(pixels.Size, images), indices);

    [Fact]
    public void Batch_is_channels_first_floats_scaled_by_one_over_255()
    {
        var size = new ImageSize(2, 3);
        PreparedImage[] images = [Image(size, 0), Image(size, 100), Image(size, 200)];
        using var pixels = new BatchPixels(size, capacity: 4);
        using var scope = torch.NewDisposeScope();

        Fill(pixels, images, [2, 0]);
        var batch = NetworkInput.Batch(pixels);

        Assert.Equal([2L, 3, 2, 3], batch.shape);
        Assert.Equal(torch.ScalarType.Float32, batch.dtype);
        var values = batch.contiguous().data<float>().ToArray();
        int[] order = [2, 0];
        for (var n = 0; n < 2; n++)
        for (var c = 0; c < 3; c++)
        for (var y = 0; y < 2; y++)
        for (var x = 0; x < 3; x++)
        {
            var expected = images[order[n]].Pixels[(y * 3 + x) * 3 + c] * (1f / 255f);
            Assert.Equal(expected, values[((n * 3 + c) * 2 + y) * 3 + x]);
        }
    }

    [Fact]
    public void Batch_is_laid_out_channels_last_in_memory()
    {
        var size = new ImageSize(3, 5);
        using var pixels = new BatchPixels(size, capacity: 2);
        using var scope = torch.NewDisposeScope();

        Fill(pixels, [Image(size, 0), Image(size, 1)], [0, 1]);
        var batch = NetworkInput.Batch(pixels);

        // NCHW shape with NHWC strides: channel stride 1, width stride 3.
        Assert.Equal([45L, 1, 15, 3], batch.stride());
    }

    [Fact]
    public void Reusing_the_buffer_for_a_shorter_batch_does_not_leak_the_previous_images()
    {
        var size = new ImageSize(4, 4);
        PreparedImage[] images = [Image(size, 0), Image(size, 50), Image(size, 90)];
        using var pixels = new BatchPixels(size, capacity: 3);
        using var scope = torch.NewDisposeScope();

        Fill(pixels, images, [0, 1, 2]);
        var full = NetworkInput.Batch(pixels).contiguous().data<float>().ToArray();
        Fill(pixels, images, [1]);
        var single = NetworkInput.Batch(pixels);

        Assert.Equal([1L, 3, 4, 4], single.shape);
        Assert.Equal(full.Skip(48).Take(48), single.contiguous().data<float>().ToArray());
    }
}
