using System.Text.Json.Serialization;

namespace EmotionApi.Prediction;

/// <summary>The answer of /api/predict: one result per image, in the order sent.</summary>
/// <param name="ModelId">The model that answered.</param>
/// <param name="Results">One per image, in the order the files were sent.</param>
public sealed record PredictionResponse(string ModelId, IReadOnlyList<ImagePrediction> Results);

/// <summary>
/// One image's prediction, or its error. <c>positive</c> + <c>negative</c> = 1; <c>label</c> is Positive when
/// <c>positive</c> is above the model's threshold.
/// </summary>
public sealed record ImagePrediction
{
    /// <summary>The uploaded file's name.</summary>
    /// <example>smiling-dog.jpg</example>
    public required string FileName { get; init; }

    /// <summary>Probability that the image is Positive.</summary>
    /// <example>0.87</example>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Positive { get; init; }

    /// <summary>Probability that the image is Negative (1 - positive).</summary>
    /// <example>0.13</example>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Negative { get; init; }

    /// <summary>"Positive" or "Negative", at the model's threshold.</summary>
    /// <example>Positive</example>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Label { get; init; }

    /// <summary>Why this image was not classified (not an image, too large...); the other images are unaffected.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
