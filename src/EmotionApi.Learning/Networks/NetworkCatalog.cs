namespace EmotionApi.Learning.Networks;

/// <summary>The networks a run can use, by name.</summary>
public static class NetworkCatalog
{
    public const string SeedBaseline = "seed-baseline";

    public static IReadOnlyList<string> Names => throw new NotImplementedException();
}
