using static TorchSharp.torch;

namespace EmotionApi.Learning.Augmentation;

/// <summary>
/// Applies <see cref="AugmentationSettings"/> to a whole batch at once: one random affine matrix per
/// image (rotation, shift, shear, zoom, flip), one affine grid and one grid sample for the batch,
/// edge pixels repeated outside (Keras fill_mode="nearest").
/// </summary>
public sealed class BatchAugmenter(AugmentationSettings settings)
{
    public AugmentationSettings Settings { get; } = settings;

    /// <summary>
    /// <paramref name="batch"/>: float [N, 3, H, W] in [0, 1]. Returns a new tensor of the same shape
    /// (or the input itself when the settings are the identity). Draws come from <paramref name="random"/>
    /// only, so a seeded run is repeatable.
    /// </summary>
    public Tensor Apply(Tensor batch, Random random) => throw new NotImplementedException();
}
