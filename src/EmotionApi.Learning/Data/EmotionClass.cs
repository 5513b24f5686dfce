namespace EmotionApi.Learning.Data;

/// <summary>The two classes, with the seed's indices (Keras sorts folder names: Negative = 0, Positive = 1).</summary>
public enum EmotionClass
{
    Negative = 0,
    Positive = 1,
}

/// <summary>One labelled image of a dataset: a stable id (its path inside the dataset) and where its bytes are.</summary>
public sealed record DatasetImage(string Id, EmotionClass Label, string FilePath);
