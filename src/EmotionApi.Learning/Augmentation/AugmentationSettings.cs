namespace EmotionApi.Learning.Augmentation;

/// <summary>
/// Keras ImageDataGenerator's random transforms, same meanings. The article: rotation 40 degrees,
/// shifts 0.2 of width/height, shear 0.2, zoom 0.2 (scale per axis from [0.8, 1.2]), horizontal
/// flip, nearest fill (edge pixels repeated).
/// </summary>
public sealed record AugmentationSettings
{
    public double RotationDegrees { get; init; }
    public double WidthShift { get; init; }
    public double HeightShift { get; init; }
    public double Shear { get; init; }
    public double Zoom { get; init; }
    public bool HorizontalFlip { get; init; }

    public static AugmentationSettings None { get; } = new();

    public static AugmentationSettings Article { get; } = new()
    {
        RotationDegrees = 40, WidthShift = 0.2, HeightShift = 0.2, Shear = 0.2, Zoom = 0.2, HorizontalFlip = true,
    };

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsIdentity => RotationDegrees == 0 && WidthShift == 0 && HeightShift == 0 && Shear == 0 && Zoom == 0 && !HorizontalFlip;
}
