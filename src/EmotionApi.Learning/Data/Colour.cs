namespace EmotionApi.Learning.Data;

/// <summary>An RGB colour with channels in [0, 255].</summary>
internal readonly record struct Colour(float R, float G, float B)
{
    /// <summary>Rec. 601 luma, in [0, 255].</summary>
    public float Luma => 0.299f * R + 0.587f * G + 0.114f * B;

    public static Colour Lerp(Colour from, Colour to, float t) =>
        new(from.R + (to.R - from.R) * t, from.G + (to.G - from.G) * t, from.B + (to.B - from.B) * t);

    /// <summary>This colour moved a share <paramref name="t"/> of the way to <paramref name="other"/>.</summary>
    public Colour Mix(Colour other, float t) => Lerp(this, other, t);

    public Colour Scaled(float factor) => new(R * factor, G * factor, B * factor);

    public Colour Jitter(Random random, float amount) => new(
        Math.Clamp(R + amount * (2 * (float)random.NextDouble() - 1), 0, 255),
        Math.Clamp(G + amount * (2 * (float)random.NextDouble() - 1), 0, 255),
        Math.Clamp(B + amount * (2 * (float)random.NextDouble() - 1), 0, 255));
}
