namespace EmotionApi.Learning.Data;

/// <summary>Which image went where.</summary>
public sealed record SplitResult(IReadOnlyList<DatasetImage> Train, IReadOnlyList<DatasetImage> Test);

/// <summary>
/// The seed's prepare_data(valid_size=0.2, seed=21): per class independently, a shuffle seeded
/// afresh for each class, the first floor(n * testFraction) images to test, the rest to train.
/// </summary>
public static class StratifiedSplit
{
    public const double SeedTestFraction = 0.2;
    public const int SeedRandomSeed = 21;

    public static SplitResult Split(IReadOnlyList<DatasetImage> images, double testFraction, int seed) => throw new NotImplementedException();
}
