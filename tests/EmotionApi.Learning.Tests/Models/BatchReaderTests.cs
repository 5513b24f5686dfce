using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;

namespace EmotionApi.Learning.Tests.Models;

public sealed class BatchReaderTests
{
    private static readonly ImageSize Size = new(3, 2);
    private static readonly int ImageBytes = Size.Height * Size.Width * 3;

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Batches_come_in_order_with_each_images_bytes_and_a_short_last_batch(int readAhead)
    {
        var source = new CountingSource(10);
        int[] order = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5];
        using var reader = new BatchReader(Size, capacity: 4, readAhead);

        var batches = new List<byte[]>();
        foreach (var pixels in reader.Read(source, order))
        {
            using var rows = pixels.Rows();
            batches.Add(rows.bytes.ToArray());
        }

        Assert.Equal([4 * ImageBytes, 4 * ImageBytes, 2 * ImageBytes], batches.Select(batch => batch.Length));
        var images = batches.SelectMany(batch => batch.Chunk(ImageBytes)).ToArray();
        Assert.Equal(order.Select(CountingSource.Pixels), images);
    }

    [Fact]
    public void The_background_reader_stays_at_most_its_read_ahead_in_front()
    {
        var source = new CountingSource(40);
        using var reader = new BatchReader(Size, capacity: 4, readAhead: 2);

        using var batches = reader.Read(source, Enumerable.Range(0, 40).ToArray()).GetEnumerator();
        Assert.True(batches.MoveNext());
        // Ample time to read everything if nothing held it back.
        Thread.Sleep(300);

        // The batch in hand and two more: memory holds three batches whatever the pass's length.
        Assert.Equal(12, source.Reads);
    }

    [Fact]
    public void Stopping_early_stops_the_background_reader_before_returning()
    {
        var source = new CountingSource(400) { Delay = TimeSpan.FromMilliseconds(2) };
        using var reader = new BatchReader(Size, capacity: 4, readAhead: 2);

        foreach (var _ in reader.Read(source, Enumerable.Range(0, 400).ToArray())) break;
        var readsWhenStopped = source.Reads;
        Thread.Sleep(100);

        Assert.Equal(readsWhenStopped, source.Reads);
        Assert.True(readsWhenStopped <= 16, $"{readsWhenStopped} reads");
    }

    [Fact]
    public void A_read_that_fails_surfaces_after_the_batches_before_it()
    {
        var source = new CountingSource(12) { FailAt = 9 };
        using var reader = new BatchReader(Size, capacity: 4, readAhead: 2);
        var seen = 0;

        var error = Assert.Throws<IOException>(() =>
        {
            foreach (var _ in reader.Read(source, Enumerable.Range(0, 12).ToArray())) seen++;
        });

        Assert.Equal(2, seen);
        Assert.Equal("image 9 is unreadable", error.Message);
    }

    [Fact]
    public void Cancellation_ends_the_pass()
    {
        var source = new CountingSource(40);
        using var reader = new BatchReader(Size, capacity: 4, readAhead: 2);
        using var cancellation = new CancellationTokenSource();
        var seen = 0;

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in reader.Read(source, Enumerable.Range(0, 40).ToArray(), cancellation.Token))
            {
                if (++seen == 3) cancellation.Cancel();
            }
        });
        Assert.Equal(3, seen);
    }

    [Fact]
    public void A_reader_is_reusable_pass_after_pass()
    {
        var source = new CountingSource(6);
        using var reader = new BatchReader(Size, capacity: 4, readAhead: 2);

        for (var pass = 0; pass < 3; pass++)
        {
            var first = reader.Read(source, new[] { 5, 4, 3, 2, 1, 0 }).First();
            using var rows = first.Rows();
            Assert.Equal(CountingSource.Pixels(5), rows.bytes[..ImageBytes].ToArray());
        }
    }

    [Fact]
    public void Images_of_another_size_or_too_many_for_a_batch_are_refused()
    {
        using var reader = new BatchReader(Size, capacity: 2, readAhead: 0);
        using var pixels = new BatchPixels(Size, capacity: 2);
        var otherSize = new PreparedImageList(new ImageSize(2, 3), []);

        Assert.Throws<ArgumentException>(() => reader.Read(otherSize, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => pixels.Fill(otherSize, [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => pixels.Fill(new CountingSource(3), [0, 1, 2]));
    }

    [Fact]
    public void A_list_of_images_of_mixed_sizes_is_refused()
    {
        var image = new PreparedImage(Size, new byte[ImageBytes]);
        var other = new PreparedImage(new ImageSize(2, 3), new byte[ImageBytes]);

        var error = Assert.Throws<ArgumentException>(() => new PreparedImageList(Size, [image, other]));
        Assert.Contains("Image 1 is 2x3", error.Message);
    }

    /// <summary>Image i's bytes are i, i+1, ...; counts reads; may fail or dawdle.</summary>
    private sealed class CountingSource(int count) : IPreparedImageSource
    {
        private int reads;

        public ImageSize Size => BatchReaderTests.Size;
        public int Count => count;
        public int Reads => Volatile.Read(ref reads);
        public int? FailAt { get; init; }
        public TimeSpan Delay { get; init; }

        public static byte[] Pixels(int index) => Enumerable.Range(index, ImageBytes).Select(b => (byte)b).ToArray();

        public void Read(int index, Span<byte> destination)
        {
            if (index == FailAt) throw new IOException($"image {index} is unreadable");
            if (Delay > TimeSpan.Zero) Thread.Sleep(Delay);
            Pixels(index).CopyTo(destination);
            Interlocked.Increment(ref reads);
        }
    }
}
