using System.ComponentModel.DataAnnotations;

namespace EmotionApi.Prediction;

/// <summary>The multipart form of POST /api/predict/explain: the image to explain.</summary>
/// <param name="File">The image to explain (JPEG, PNG, GIF, BMP or WebP).</param>
// For the document only: the endpoint reads the form itself, as /api/predict does; 'modelId' and 'method' are documented as
// query parameters (form fields of those names work too).
public sealed record ExplainForm([property: Required] IFormFile File);
