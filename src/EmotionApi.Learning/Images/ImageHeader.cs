namespace EmotionApi.Learning.Images;

/// <summary>What an image's header says, read without decoding pixels.</summary>
/// <param name="Format">
/// One of <see cref="ImageCodec.SupportedFormats"/> ("JPEG", "PNG", "GIF", "BMP", "WebP") or, for a
/// format ImageSharp recognises but the service refuses, ImageSharp's own name (for example "TIFF").
/// </param>
public sealed record ImageHeader(string Format, int Width, int Height)
{
    /// <summary>Whether <see cref="Format"/> is one the service decodes.</summary>
    public bool IsSupportedFormat => ImageCodec.SupportedFormats.Contains(Format);

    public long PixelCount => (long)Width * Height;
}
