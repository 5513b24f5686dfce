using EmotionApi.Learning.Images;

namespace EmotionApi.Bench;

/// <summary>
/// The 64-bit difference hash (dHash, as the imagehash library computes it), the alternative the sweep
/// measures against the DCT hash the service uses: 9x8 grey pixels, one bit per horizontal neighbour pair,
/// set when the right pixel is brighter.
/// </summary>
internal static class DifferenceHash
{
    private static readonly ImageSize Size = new(8, 9);

    public static ulong Compute(ReadOnlySpan<byte> encoded)
    {
        var pixels = ImageCodec.Prepare(encoded, Size, ImageLimits.Default).Pixels;
        ulong hash = 0;
        for (var y = 0; y < 8; y++)
        for (var x = 0; x < 8; x++)
        {
            if (Grey(pixels, y * 9 + x + 1) > Grey(pixels, y * 9 + x)) hash |= 1UL << (y * 8 + x);
        }
        return hash;

        static double Grey(byte[] rgb, int i) => 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
    }
}
