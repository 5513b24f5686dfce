namespace EmotionApi.Prediction;

/// <summary>The multipart form of POST /api/predict/explain, as the OpenAPI document shows it.</summary>
public sealed class ExplainForm
{
    /// <summary>The image to explain (JPEG, PNG, GIF, BMP or WebP).</summary>
    public required IFormFile File { get; init; }

    /// <summary>The model to use; the default model when omitted.</summary>
    /// <example>4c1f0a9e27b3</example>
    public string? ModelId { get; init; }

    /// <summary>"gradCam" or "occlusion"; when omitted, Grad-CAM where the network's last convolution map is at least 6x6, occlusion otherwise.</summary>
    /// <example>occlusion</example>
    public string? Method { get; init; }
}
