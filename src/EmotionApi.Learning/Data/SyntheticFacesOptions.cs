using System.Globalization;

namespace EmotionApi.Learning.Data;

/// <summary>Options of the built-in sample dataset.</summary>
public sealed record SyntheticFacesOptions
{
    public const int MinSide = 16;
    public const int MaxSide = 4096;

    /// <summary>Total images; split between the classes by <see cref="PositiveShare"/>.</summary>
    public int Count { get; init; } = 200;
    public int Seed { get; init; } = 1;
    public int Width { get; init; } = 64;
    public int Height { get; init; } = 64;
    /// <summary>Share of Positive images; the article's dataset had about 53%.</summary>
    public double PositiveShare { get; init; } = 0.53;

    /// <summary>Null when the options can generate a dataset; otherwise why not.</summary>
    public string? Problem() =>
        Count < 0 ? $"Count must not be negative; got {Count}." :
        Width is < MinSide or > MaxSide ? $"Width must be between {MinSide} and {MaxSide}; got {Width}." :
        Height is < MinSide or > MaxSide ? $"Height must be between {MinSide} and {MaxSide}; got {Height}." :
        !(PositiveShare is >= 0 and <= 1) ? $"PositiveShare must be between 0 and 1; got {PositiveShare.ToString(CultureInfo.InvariantCulture)}." :
        null;
}
