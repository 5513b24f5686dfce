namespace EmotionApi.Learning.Training;

public static class TrainingPresets
{
    /// <summary>The seed's exact settings (baseline-details.md): 400x500, batch 32, 10 epochs, Adam 0.001, its augmentation.</summary>
    public const string SeedBaseline = "seed-baseline";
    /// <summary>The project's default: much better on small datasets, minutes on two cores.</summary>
    public const string Default = "default";
    /// <summary>Tiny images, few epochs: tests and demos, seconds.</summary>
    public const string Tiny = "tiny";

    public static IReadOnlyList<string> Names { get; } = [Default, SeedBaseline, Tiny];

    public static bool Exists(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    public static TrainingSettings Get(string name) => throw new NotImplementedException();
}
