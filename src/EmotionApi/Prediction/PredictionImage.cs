namespace EmotionApi.Prediction;

/// <summary>An image sent for prediction, not read yet.</summary>
/// <param name="FileName">The name the client gave it (shown in its result).</param>
/// <param name="Length">Its size in bytes, as announced: a file over the limit is refused without being read.</param>
/// <param name="Open">Opens its bytes.</param>
public sealed record PredictionImage(string FileName, long Length, Func<Stream> Open);
