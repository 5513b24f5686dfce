using System.ComponentModel.DataAnnotations;

namespace EmotionApi.Prediction;

/// <summary>The multipart form of /api/predict: the images to classify.</summary>
/// <param name="Files">The images (JPEG, PNG, GIF, BMP, TIFF, WebP...), in the repeatable field 'files' (a single 'file' works too).</param>
// For the document only: the endpoint reads the form itself, so that a request that outlasted its timeout while
// uploading is answered 503 before any work.
public sealed record PredictionForm([property: Required] IReadOnlyList<IFormFile> Files);
