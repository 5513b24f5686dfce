using EmotionApi.Learning.Explanations;

namespace EmotionApi.Prediction;

/// <summary>An image explained by a model: its bytes (for the overlay) and the explanation.</summary>
/// <param name="ModelId">The model that answered.</param>
/// <param name="Threshold">The threshold its label was taken at.</param>
/// <param name="FileName">The uploaded file's name.</param>
/// <param name="Content">The uploaded bytes.</param>
/// <param name="Explanation">Probability, label and heatmap.</param>
public sealed record ExplainedImage(string ModelId, double Threshold, string FileName, byte[] Content, Explanation Explanation);
