namespace EmotionApi.Learning.Data;

/// <summary>One labelled image of a dataset: a stable id (its path inside the dataset) and where its bytes are.</summary>
/// <param name="Hash">
/// Its <see cref="Audit.PerceptualHash"/> when known (computed at ingest); a run computes the hashes it is not given.
/// </param>
public sealed record DatasetImage(string Id, EmotionClass Label, string FilePath, ulong? Hash = null);
