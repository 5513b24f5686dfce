namespace EmotionApi.Training;

/// <summary>Random transforms of training images, as Keras' ImageDataGenerator (the article's: 40, 0.2, 0.2, 0.2, 0.2, true).</summary>
public sealed record AugmentationRequest
{
    /// <summary>Rotation range in degrees, 0 to 180.</summary>
    /// <example>40</example>
    public double? RotationDegrees { get; init; }

    /// <summary>Horizontal shift range as a fraction of the width, 0 to 1.</summary>
    /// <example>0.2</example>
    public double? WidthShift { get; init; }

    /// <summary>Vertical shift range as a fraction of the height, 0 to 1.</summary>
    /// <example>0.2</example>
    public double? HeightShift { get; init; }

    /// <summary>Shear intensity, 0 to 1.</summary>
    /// <example>0.2</example>
    public double? Shear { get; init; }

    /// <summary>Zoom range: each axis scaled by a factor drawn from [1 - zoom, 1 + zoom], 0 to 1.</summary>
    /// <example>0.2</example>
    public double? Zoom { get; init; }

    /// <summary>Flip half of the images left to right.</summary>
    /// <example>true</example>
    public bool? HorizontalFlip { get; init; }
}
