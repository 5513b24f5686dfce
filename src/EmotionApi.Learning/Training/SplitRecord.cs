namespace EmotionApi.Learning.Training;

/// <summary>Which split each image landed in, recorded with the run.</summary>
public sealed record SplitRecord(IReadOnlyList<string> Train, IReadOnlyList<string> Validation, IReadOnlyList<string> Test);
