using System.Globalization;

namespace EmotionApi.Learning.Data;

/// <summary>Options of a styled face set (<see cref="StyledFaces"/>).</summary>
public sealed record StyledFacesOptions
{
    public IReadOnlyList<FaceStyle> Styles { get; init; } = [FaceStyle.Flat];
    /// <summary>Images of each style; split between the classes by <see cref="PositiveShare"/>.</summary>
    public int CountPerStyle { get; init; } = 100;
    public int Seed { get; init; } = 1;
    public int Width { get; init; } = 192;
    public int Height { get; init; } = 192;
    public double PositiveShare { get; init; } = 0.5;
    /// <summary>Share of each style's images whose label is the other class (label noise, as hand-labelled photos have).</summary>
    public double LabelNoise { get; init; }

    /// <summary>Null when the options can generate a set; otherwise why not.</summary>
    public string? Problem() =>
        Styles is null || Styles.Count == 0 ? "At least one style is required." :
        Styles.Distinct().Count() != Styles.Count ? "Each style may appear once." :
        Styles.Any(style => !Enum.IsDefined(style)) ? "Unknown style." :
        CountPerStyle < 0 ? $"CountPerStyle must not be negative; got {CountPerStyle}." :
        Width is < SyntheticFacesOptions.MinSide or > SyntheticFacesOptions.MaxSide ? $"Width must be between {SyntheticFacesOptions.MinSide} and {SyntheticFacesOptions.MaxSide}; got {Width}." :
        Height is < SyntheticFacesOptions.MinSide or > SyntheticFacesOptions.MaxSide ? $"Height must be between {SyntheticFacesOptions.MinSide} and {SyntheticFacesOptions.MaxSide}; got {Height}." :
        !(PositiveShare is >= 0 and <= 1) ? $"PositiveShare must be between 0 and 1; got {PositiveShare.ToString(CultureInfo.InvariantCulture)}." :
        !(LabelNoise is >= 0 and <= 0.5) ? $"LabelNoise must be between 0 and 0.5; got {LabelNoise.ToString(CultureInfo.InvariantCulture)}." :
        null;
}
