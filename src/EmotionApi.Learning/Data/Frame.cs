namespace EmotionApi.Learning.Data;

/// <summary>
/// A local coordinate frame: an origin in picture pixels and a rotation given by its cosine and
/// sine (built from a slope with sqrt only, so every machine computes the same bits).
/// </summary>
internal readonly record struct Frame(float OriginX, float OriginY, float Cos, float Sin)
{
    public static Frame At(float x, float y) => new(x, y, 1, 0);

    /// <summary>This frame turned further by the angle whose tangent is <paramref name="slope"/>.</summary>
    public Frame Rotated(float slope)
    {
        var cos = 1 / MathF.Sqrt(1 + slope * slope);
        var sin = slope * cos;
        return this with { Cos = Cos * cos - Sin * sin, Sin = Sin * cos + Cos * sin };
    }

    /// <summary>A frame with the same rotation whose origin is (u, v) in this frame.</summary>
    public Frame Offset(float u, float v) =>
        this with { OriginX = OriginX + u * Cos - v * Sin, OriginY = OriginY + u * Sin + v * Cos };

    public (float U, float V) ToLocal(float x, float y)
    {
        float dx = x - OriginX, dy = y - OriginY;
        return (dx * Cos + dy * Sin, dy * Cos - dx * Sin);
    }
}
