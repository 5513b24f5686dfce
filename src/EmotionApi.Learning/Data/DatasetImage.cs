namespace EmotionApi.Learning.Data;

/// <summary>One labelled image of a dataset: a stable id (its path inside the dataset) and where its bytes are.</summary>
public sealed record DatasetImage(string Id, EmotionClass Label, string FilePath);
