namespace EmotionApi.Learning.Images;

/// <summary>Prepared images held in memory (a prediction request's, a test's): the source for a few images.</summary>
public sealed class PreparedImageList : IPreparedImageSource
{
    private readonly IReadOnlyList<PreparedImage> images;

    /// <exception cref="ArgumentException">An image is not of <paramref name="size"/>.</exception>
    public PreparedImageList(ImageSize size, IReadOnlyList<PreparedImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Size != size)
                throw new ArgumentException($"Image {i} is {images[i].Size}, expected {size}.", nameof(images));
        }
        Size = size;
        this.images = images;
    }

    public ImageSize Size { get; }

    public int Count => images.Count;

    public void Read(int index, Span<byte> destination)
    {
        var pixels = images[index].Pixels;
        if (destination.Length != pixels.Length)
            throw new ArgumentException($"Expected a destination of {pixels.Length} bytes, got {destination.Length}.", nameof(destination));
        pixels.CopyTo(destination);
    }
}
