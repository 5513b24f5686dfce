namespace EmotionApi.Datasets;

/// <summary>A file of the upload that is not part of the dataset, and why.</summary>
/// <param name="Path">The entry's name in the archive.</param>
/// <param name="Reason">Why it was left out, for a person to read (a lower-case phrase, as ImageCodec words them).</param>
public sealed record SkippedFile(string Path, string Reason);
