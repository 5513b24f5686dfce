namespace EmotionApi.Learning.Images;

/// <summary>Height x width in pixels, the order Keras' target_size uses (the article: 400 x 500).</summary>
public readonly record struct ImageSize(int Height, int Width)
{
    public override string ToString() => $"{Height}x{Width}";
}
