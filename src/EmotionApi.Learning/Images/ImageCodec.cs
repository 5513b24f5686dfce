namespace EmotionApi.Learning.Images;

/// <summary>What an image's header says, read without decoding pixels.</summary>
public sealed record ImageHeader(string Format, int Width, int Height);

/// <summary>
/// The one place that turns untrusted encoded bytes into pixels: header check first, capped
/// decoder memory, transparency flattened onto white. Dataset ingest, training and prediction all
/// go through it, so an image is prepared the same way everywhere.
/// </summary>
public static class ImageCodec
{
    /// <summary>Reads the header only. Null when the bytes are not an image format ImageSharp 2.1 knows.</summary>
    public static ImageHeader? Identify(ReadOnlySpan<byte> encoded) => throw new NotImplementedException();

    /// <summary>
    /// Checks the header against <paramref name="limits"/> and decodes fully (proving the file is good).
    /// Throws <see cref="ImageRejectedException"/> with a client-readable reason otherwise.
    /// </summary>
    public static ImageHeader Validate(ReadOnlySpan<byte> encoded, ImageLimits limits) => throw new NotImplementedException();

    /// <summary>Decode (limits applied), flatten transparency onto white, resize to <paramref name="size"/>.</summary>
    public static PreparedImage Prepare(ReadOnlySpan<byte> encoded, ImageSize size, ImageLimits limits) => throw new NotImplementedException();
}
