using EmotionApi.Learning.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Augmentation;

/// <summary>
/// Applies <see cref="AugmentationSettings"/> to a whole batch at once: one random affine matrix per
/// image (rotation, shift, shear, zoom, flip), one bilinear warp pass over the batch (what affine_grid +
/// grid_sample compute, in less time: docs/performance.md), edge pixels repeated outside (Keras fill_mode="nearest").
/// </summary>
/// <remarks>
/// Semantics of keras_preprocessing's get_random_transform and apply_affine_transform, which the article used:
/// rotation uniform in [-r, r] degrees; row shift uniform in [-h, h] x height and column shift uniform in
/// [-w, w] x width; shear uniform in [-s, s] DEGREES (Keras takes shear_range in degrees, so the article's
/// shear_range=0.2 is a 0.2 degree shear, almost nothing: reproduced as is); zoom factors for rows and
/// columns drawn independently from [1 - z, 1 + z] (a factor above 1 samples a larger area, so the content
/// shrinks); horizontal flip with probability 0.5, applied after the transform; bilinear interpolation
/// (Keras' order 1). One departure: Keras turns about pixel (h/2 + 0.5, w/2 + 0.5), half a pixel past the
/// centre on each axis; this turns about the true centre, so a flip or a 180 degree turn is exact.
/// </remarks>
public sealed class BatchAugmenter
{
    public BatchAugmenter(AugmentationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Require(settings.RotationDegrees is >= 0 and <= 180, "Rotation must be from 0 to 180 degrees.");
        Require(settings.WidthShift is >= 0 and <= 1, "Width shift must be a fraction of the width from 0 to 1.");
        Require(settings.HeightShift is >= 0 and <= 1, "Height shift must be a fraction of the height from 0 to 1.");
        Require(settings.Shear is >= 0 and < 90, "Shear must be from 0 to below 90 degrees.");
        Require(settings.Zoom is >= 0 and < 1, "Zoom must be from 0 to below 1 (factors from 1 - zoom to 1 + zoom).");
        Settings = settings;
    }

    public AugmentationSettings Settings { get; }

    /// <summary>
    /// <paramref name="batch"/>: float [N, 3, H, W] in [0, 1] on the CPU. Returns a new tensor of the same shape,
    /// laid out channels_last (or the input itself when the settings are the identity). Draws come from <paramref name="random"/>
    /// only, so a seeded run is repeatable.
    /// </summary>
    public Tensor Apply(Tensor batch, Random random)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(random);
        if (Settings.IsIdentity) return batch;
        if (batch.dim() != 4)
            throw new ArgumentException($"Expected a batch [N, C, H, W], got [{string.Join(", ", batch.shape)}].", nameof(batch));
        return Transform(batch, Draws(random, (int)batch.shape[0], new ImageSize((int)batch.shape[2], (int)batch.shape[3])));
    }

    /// <summary>
    /// The training loop's fused path: <paramref name="pixels"/>, uint8 [N, H, W, 3] (prepared images' HWC bytes, contiguous),
    /// scaled to [0, 1] and warped in one pass, without the float batch in between. Returns float [N, 3, H, W] laid out
    /// channels_last, registered in the caller's dispose scope: the same values as <see cref="Apply"/> of NetworkInput's
    /// batch with the same <paramref name="random"/>, which it advances the same way (identity settings draw nothing and
    /// copy the pixels).
    /// </summary>
    public Tensor ApplyToBytes(Tensor pixels, Random random)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(random);
        if (pixels.dim() != 4 || pixels.shape[0] < 1)
            throw new ArgumentException($"Expected a batch [N, H, W, 3] of at least one image, got [{string.Join(", ", pixels.shape)}].", nameof(pixels));
        var size = new ImageSize((int)pixels.shape[1], (int)pixels.shape[2]);
        return AffineWarp.ApplyToBytes(pixels, Draws(random, (int)pixels.shape[0], size));
    }

    /// <summary>
    /// A batch's transforms in the order <see cref="Apply"/> draws them, one image after the other; identity settings
    /// draw nothing.
    /// </summary>
    internal AffineDraw[] Draws(Random random, int count, ImageSize size)
    {
        var draws = new AffineDraw[count];
        if (Settings.IsIdentity)
            Array.Fill(draws, AffineDraw.Identity);
        else
            for (var i = 0; i < draws.Length; i++) draws[i] = Draw(random, size.Height, size.Width);
        return draws;
    }

    /// <summary>One image's transform, drawn in Keras' order: rotation, row shift, column shift, shear, zoom rows, zoom columns, flip.</summary>
    internal AffineDraw Draw(Random random, int height, int width)
    {
        var rotation = Settings.RotationDegrees > 0 ? Uniform(random, Settings.RotationDegrees) : 0;
        var shiftRows = Settings.HeightShift > 0 ? Uniform(random, Settings.HeightShift) * height : 0;
        var shiftColumns = Settings.WidthShift > 0 ? Uniform(random, Settings.WidthShift) * width : 0;
        var shear = Settings.Shear > 0 ? Uniform(random, Settings.Shear) : 0;
        var (zoomRows, zoomColumns) = Settings.Zoom > 0
            ? (1 + Uniform(random, Settings.Zoom), 1 + Uniform(random, Settings.Zoom))
            : (1.0, 1.0);
        var flip = Settings.HorizontalFlip && random.NextDouble() < 0.5;
        return new AffineDraw(rotation, shiftRows, shiftColumns, shear, zoomRows, zoomColumns, flip);
    }

    /// <summary>Applies one transform per image, all images in one pass (<see cref="AffineWarp"/>).</summary>
    internal static Tensor Transform(Tensor batch, IReadOnlyList<AffineDraw> draws) => AffineWarp.Apply(batch, draws);

    private static double Uniform(Random random, double range) => (2 * random.NextDouble() - 1) * range;

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message, "settings");
    }
}
