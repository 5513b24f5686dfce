namespace EmotionApi.Learning.Data;

/// <summary>
/// Which image went where. Each list holds the Negative images, then the Positive ones, each class
/// in its shuffled order.
/// </summary>
public sealed record SplitResult(IReadOnlyList<DatasetImage> Train, IReadOnlyList<DatasetImage> Test)
{
    public int Count(EmotionClass label, bool test) => (test ? Test : Train).Count(image => image.Label == label);
}
