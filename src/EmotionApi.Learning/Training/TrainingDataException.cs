namespace EmotionApi.Learning.Training;

/// <summary>
/// The images cannot train a model: a file that does not prepare, or too few images for the split.
/// The message names the file or the counts, for the job's owner.
/// </summary>
public sealed class TrainingDataException(string message, Exception? inner = null) : Exception(message, inner);
