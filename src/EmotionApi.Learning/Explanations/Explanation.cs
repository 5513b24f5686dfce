using EmotionApi.Learning.Data;

namespace EmotionApi.Learning.Explanations;

/// <summary>
/// Which regions of an image drove a model to its label: a heatmap over the image as the model saw it (its input size),
/// 0 (no part) to 1 (the strongest), row-major.
/// </summary>
/// <param name="Positive">The model's probability of Positive for the image.</param>
/// <param name="Label">The class at the threshold the caller gave: the heat shows what pushed the model towards it.</param>
/// <param name="Heatmap">Height x Width values in [0, 1], row-major.</param>
/// <param name="FeatureHeight">For Grad-CAM, the height of the convolution's map the heat was resized from; for occlusion, the positions per column.</param>
/// <param name="FeatureWidth">The same across.</param>
public sealed record Explanation(
    double Positive, EmotionClass Label, ExplanationMethod Method, int Height, int Width, float[] Heatmap, int FeatureHeight, int FeatureWidth)
{
    /// <summary>The heat at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public float At(int y, int x) => Heatmap[y * Width + x];
}
