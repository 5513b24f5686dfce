namespace EmotionApi.Learning.Data;

/// <summary>
/// Lambert lighting of an ellipsoid cap over a shape's frame: the surface normal at (u, v) is that of an ellipsoid of
/// radii (<paramref name="RadiusU"/>, <paramref name="RadiusV"/>), lit from the unit direction (<paramref name="LightU"/>,
/// <paramref name="LightV"/>, <paramref name="LightZ"/>); the colour is scaled by <paramref name="Ambient"/> plus the
/// rest times the cosine. Square roots only, so every machine computes the same bits.
/// </summary>
internal readonly record struct Shading(float RadiusU, float RadiusV, float LightU, float LightV, float LightZ, float Ambient)
{
    public float Factor(float u, float v)
    {
        float nu = u / RadiusU, nv = v / RadiusV;
        var nz = MathF.Sqrt(Math.Max(0, 1 - nu * nu - nv * nv));
        var cosine = Math.Max(0, nu * LightU + nv * LightV + nz * LightZ);
        return Ambient + (1 - Ambient) * cosine;
    }
}
