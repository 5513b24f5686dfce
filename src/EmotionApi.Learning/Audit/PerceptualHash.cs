using System.Numerics;
using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Audit;

/// <summary>
/// A 64-bit DCT perceptual hash (pHash, as the imagehash library computes it): the image prepared by
/// <see cref="ImageCodec.Prepare"/> at 32x32 (the pixels training sees, before their resize), grey by
/// Rec. 601 luma, a 2-D DCT-II, its 8x8 lowest frequencies, one bit per coefficient: set when above
/// their median. Bit <c>8 v + u</c> holds vertical frequency v and horizontal frequency u. Copies that
/// are resized, recompressed, slightly cropped or brightened keep most bits; how many is measured in
/// docs/dataset-audit.md, which is where <see cref="DuplicateFinder.DefaultNearDistance"/> comes from.
/// </summary>
/// <remarks>
/// Chosen over a difference hash by that measurement. Luma drops colour, so a recoloured copy still
/// matches; a blank picture of any colour has all its AC coefficients zero and hashes to
/// <see cref="Blank"/> (or 0 when black). The cosines come from <see cref="Math.Cos"/>, whose last bit may differ between
/// runtimes: a coefficient sitting exactly on the median could flip one bit between machines, which the
/// near distance absorbs.
/// </remarks>
public static class PerceptualHash
{
    /// <summary>Side of the grey picture the transform reads.</summary>
    public const int Side = 32;

    /// <summary>Frequencies kept per axis: 8 x 8 = 64 bits.</summary>
    public const int Frequencies = 8;

    /// <summary>Largest possible Hamming distance between two hashes.</summary>
    public const int Bits = Frequencies * Frequencies;

    /// <summary>
    /// The hash of a picture without any variation: only the DC bit is above the median of zeros (a black
    /// picture, whose DC is 0 too, hashes to 0, one bit away).
    /// </summary>
    public const ulong Blank = 1;

    public static ImageSize InputSize { get; } = new(Side, Side);

    // Cosine[u, x] = cos(pi (2x + 1) u / 2N): the DCT-II basis, unnormalised (scaling does not move a median).
    private static readonly double[] Cosine = BuildCosines();

    // Coefficients smaller than this are floating-point residue of a flat row or column, not content.
    private const double Residue = 1e-6;

    /// <summary>
    /// Checks, decodes and hashes an untrusted image: everything <see cref="ImageCodec.Validate"/> does,
    /// plus the hash, from one decode.
    /// </summary>
    /// <exception cref="ImageRejectedException">The bytes are not a usable image; the message says why.</exception>
    public static ImageFingerprint Fingerprint(ReadOnlySpan<byte> encoded, ImageLimits limits)
    {
        var hash = Compute(encoded, limits);
        // Prepare has read and checked this header already, so it cannot be missing here.
        var header = ImageCodec.Identify(encoded) ?? throw new InvalidOperationException("A prepared image has no header.");
        return new ImageFingerprint(header, hash);
    }

    /// <inheritdoc cref="Fingerprint" path="/exception"/>
    public static ulong Compute(ReadOnlySpan<byte> encoded, ImageLimits limits) =>
        FromPixels(ImageCodec.Prepare(encoded, InputSize, limits));

    /// <summary>The hash of pixels prepared at <see cref="InputSize"/>.</summary>
    public static ulong FromPixels(PreparedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Size != InputSize)
            throw new ArgumentException($"The hash reads {InputSize} pixels; got {image.Size}.", nameof(image));

        Span<double> grey = stackalloc double[Side * Side];
        var pixels = image.Pixels;
        for (var i = 0; i < grey.Length; i++)
            grey[i] = 0.299 * pixels[3 * i] + 0.587 * pixels[3 * i + 1] + 0.114 * pixels[3 * i + 2];

        // Separable transform, only the frequencies kept: rows first (Side x Frequencies), then columns.
        Span<double> rows = stackalloc double[Side * Frequencies];
        for (var y = 0; y < Side; y++)
        for (var u = 0; u < Frequencies; u++)
        {
            var sum = 0.0;
            for (var x = 0; x < Side; x++) sum += grey[y * Side + x] * Cosine[u * Side + x];
            rows[y * Frequencies + u] = sum;
        }

        Span<double> coefficients = stackalloc double[Bits];
        for (var v = 0; v < Frequencies; v++)
        for (var u = 0; u < Frequencies; u++)
        {
            var sum = 0.0;
            for (var y = 0; y < Side; y++) sum += rows[y * Frequencies + u] * Cosine[v * Side + y];
            coefficients[v * Frequencies + u] = Math.Abs(sum) < Residue ? 0 : sum;
        }

        Span<double> sorted = stackalloc double[Bits];
        coefficients.CopyTo(sorted);
        sorted.Sort();
        var median = (sorted[Bits / 2 - 1] + sorted[Bits / 2]) / 2; // numpy's median of an even count

        ulong hash = 0;
        for (var i = 0; i < Bits; i++)
            if (coefficients[i] > median) hash |= 1UL << i;
        return hash;
    }

    /// <summary>Hamming distance: the number of bits in which two hashes differ (0 to 64).</summary>
    public static int Distance(ulong first, ulong second) => BitOperations.PopCount(first ^ second);

    private static double[] BuildCosines()
    {
        var table = new double[Frequencies * Side];
        for (var u = 0; u < Frequencies; u++)
        for (var x = 0; x < Side; x++)
            table[u * Side + x] = Math.Cos(Math.PI * (2 * x + 1) * u / (2 * Side));
        return table;
    }
}
