using EmotionApi.Learning.Explanations;

namespace EmotionApi.Prediction;

/// <summary>
/// Which regions of an image drove the model to its label, as JSON: the heat at each pixel of the image as the model saw
/// it (resized to its input size), 0 (no part) to 1 (the strongest).
/// </summary>
/// <param name="ModelId">The model that answered.</param>
/// <param name="FileName">The uploaded file's name.</param>
/// <param name="Positive">Probability that the image is Positive.</param>
/// <param name="Negative">Probability that the image is Negative (1 - positive).</param>
/// <param name="Label">"Positive" or "Negative", at the model's threshold: the heat shows what drove the model towards it.</param>
/// <param name="Threshold">The model's threshold.</param>
/// <param name="Method">"gradCam" (Grad-CAM on the last convolution) or "occlusion" (a patch slid over the image).</param>
/// <param name="Width">Columns of the heatmap: the model's input width.</param>
/// <param name="Height">Rows of the heatmap: the model's input height.</param>
/// <param name="Heatmap">Height rows of width values in [0, 1], top row first, rounded to 4 decimals.</param>
public sealed record ExplanationView(
    string ModelId, string FileName, double Positive, double Negative, string Label, double Threshold, ExplanationMethod Method,
    int Width, int Height, float[][] Heatmap)
{
    public static ExplanationView From(ExplainedImage explained)
    {
        var explanation = explained.Explanation;
        var rows = Enumerable.Range(0, explanation.Height)
            .Select(y => Enumerable.Range(0, explanation.Width).Select(x => MathF.Round(explanation.At(y, x), 4)).ToArray())
            .ToArray();
        return new ExplanationView(explained.ModelId, explained.FileName, explanation.Positive, 1 - explanation.Positive,
            explanation.Label.ToString(), explained.Threshold, explanation.Method, explanation.Width, explanation.Height, rows);
    }
}
