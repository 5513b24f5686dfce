namespace EmotionApi.Learning.Images;

/// <summary>
/// Prepared images of one size, by index: HWC RGB bytes as <see cref="ImageCodec.Prepare"/> makes them, wherever they
/// live (in memory, in a cache file on disk). Training, evaluation and feature extraction read their images through it
/// batch by batch, so what a run holds in memory does not grow with the dataset.
/// </summary>
public interface IPreparedImageSource
{
    /// <summary>The size of every image.</summary>
    ImageSize Size { get; }

    int Count { get; }

    /// <summary>
    /// Copies image <paramref name="index"/>'s bytes (height x width x 3) into <paramref name="destination"/>, which must
    /// be exactly that long. Thread-safe: a background reader and the caller may read at once.
    /// </summary>
    void Read(int index, Span<byte> destination);
}
