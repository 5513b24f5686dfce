namespace EmotionApi.Learning.Data;

/// <summary>One generated image, PNG-encoded, with its class and a file name.</summary>
public sealed record GeneratedImage(string FileName, EmotionClass Label, byte[] Png);

/// <summary>Options of the built-in sample dataset.</summary>
public sealed record SyntheticFacesOptions
{
    /// <summary>Total images; split between the classes by <see cref="PositiveShare"/>.</summary>
    public int Count { get; init; } = 200;
    public int Seed { get; init; } = 1;
    public int Width { get; init; } = 64;
    public int Height { get; init; } = 64;
    /// <summary>The seed dataset's share of positives was about 53%.</summary>
    public double PositiveShare { get; init; } = 0.53;
}

/// <summary>
/// The built-in sample dataset: smiling (Positive) versus frowning (Negative) cartoon faces with
/// varied colour, size, position, rotation, background and noise. Deterministic for a seed.
/// Learnable but not trivial: a tiny CNN needs a few epochs to separate the classes.
/// </summary>
public static class SyntheticFaces
{
    public static IEnumerable<GeneratedImage> Generate(SyntheticFacesOptions options) => throw new NotImplementedException();
}
