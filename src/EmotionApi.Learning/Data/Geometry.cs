namespace EmotionApi.Learning.Data;

/// <summary>A shape's outline as a signed distance in pixels: negative inside, positive outside.</summary>
internal abstract class Geometry
{
    /// <summary>No point of the shape lies further than this from the frame's origin.</summary>
    public abstract float Reach { get; }

    public abstract float Distance(float u, float v);

    /// <summary>Share of the pixel centred on (u, v) that the shape covers: the distance clamped over one pixel.</summary>
    public virtual float Coverage(float u, float v) => Math.Clamp(0.5f - Distance(u, v), 0, 1);
}

/// <summary>A filled ellipse centred on the origin (Inigo Quilez's first-order distance estimate).</summary>
/// <remarks>
/// With q = (u / radiusU, v / radiusV), the estimate's size is at least |1 - |q|| x the smaller
/// radius, so pixels with |q| beyond 1 +- 1 / smaller radius are wholly in or out: that test takes
/// a few multiplications, and only the band along the edge pays for the square roots.
/// </remarks>
internal sealed class EllipseGeometry(float radiusU, float radiusV) : Geometry
{
    private readonly float _inverseU = 1 / radiusU;
    private readonly float _inverseV = 1 / radiusV;
    private readonly float _insideSquared = Squared(Math.Max(0, 1 - 1 / Math.Min(radiusU, radiusV)));
    private readonly float _outsideSquared = Squared(1 + 1 / Math.Min(radiusU, radiusV));

    public override float Reach => Math.Max(radiusU, radiusV);

    public override float Coverage(float u, float v)
    {
        float pu = u * _inverseU, pv = v * _inverseV;
        var squared = pu * pu + pv * pv;
        if (squared <= _insideSquared) return 1;
        if (squared >= _outsideSquared) return 0;
        return base.Coverage(u, v);
    }

    private static float Squared(float value) => value * value;

    public override float Distance(float u, float v)
    {
        float pu = u / radiusU, pv = v / radiusV;
        var k0 = MathF.Sqrt(pu * pu + pv * pv);
        float gu = pu / radiusU, gv = pv / radiusV;
        var k1 = MathF.Sqrt(gu * gu + gv * gv);
        return k1 == 0 ? -Math.Min(radiusU, radiusV) : k0 * (k0 - 1) / k1;
    }
}

/// <summary>The outline of an ellipse, a band of <paramref name="thickness"/> across its edge.</summary>
internal sealed class EllipseOutlineGeometry(float radiusU, float radiusV, float thickness) : Geometry
{
    private readonly EllipseGeometry _ellipse = new(radiusU, radiusV);
    private readonly float _inverseU = 1 / radiusU;
    private readonly float _inverseV = 1 / radiusV;
    // Outside the band |1 - |q|| < (thickness / 2 + 1) / smaller radius the stroke covers nothing
    // (same bound as EllipseGeometry's).
    private readonly float _innerSquared = Squared(Math.Max(0, 1 - (thickness / 2 + 1) / Math.Min(radiusU, radiusV)));
    private readonly float _outerSquared = Squared(1 + (thickness / 2 + 1) / Math.Min(radiusU, radiusV));

    public override float Reach => Math.Max(radiusU, radiusV) + thickness;

    public override float Distance(float u, float v) => Math.Abs(_ellipse.Distance(u, v)) - thickness / 2;

    public override float Coverage(float u, float v)
    {
        float pu = u * _inverseU, pv = v * _inverseV;
        var squared = pu * pu + pv * pv;
        return squared <= _innerSquared || squared >= _outerSquared ? 0 : base.Coverage(u, v);
    }

    private static float Squared(float value) => value * value;
}

/// <summary>A rectangle centred on the origin.</summary>
internal sealed class BoxGeometry(float halfU, float halfV) : Geometry
{
    public override float Reach => MathF.Sqrt(halfU * halfU + halfV * halfV);

    public override float Distance(float u, float v)
    {
        float qu = Math.Abs(u) - halfU, qv = Math.Abs(v) - halfV;
        float ou = Math.Max(qu, 0), ov = Math.Max(qv, 0);
        return MathF.Sqrt(ou * ou + ov * ov) + Math.Min(Math.Max(qu, qv), 0);
    }
}

/// <summary>A stroke with round ends from (-halfLength, 0) to (halfLength, 0).</summary>
internal sealed class SegmentGeometry(float halfLength, float thickness) : Geometry
{
    public override float Reach => halfLength + thickness;

    public override float Distance(float u, float v)
    {
        var du = Math.Max(Math.Abs(u) - halfLength, 0);
        return MathF.Sqrt(du * du + v * v) - thickness / 2;
    }
}

/// <summary>
/// A stroke along the parabola v = depth/2 - depth (u / halfWidth)^2 for |u| &lt;= halfWidth: its
/// corners at v = -depth/2 and its middle at v = +depth/2, so positive depth (v points down) is a
/// smile and negative depth a frown, both centred on the origin. Round ends.
/// </summary>
internal sealed class ArcGeometry(float halfWidth, float depth, float thickness) : Geometry
{
    private const int NewtonSteps = 4;
    private readonly float _curvature = -depth / (halfWidth * halfWidth); // f(s) = depth/2 + curvature s^2

    public override float Reach => MathF.Sqrt(halfWidth * halfWidth + depth * depth) + thickness;

    public override float Distance(float u, float v)
    {
        // The nearest point of the curve, f(s) = depth/2 + c s^2: Newton's method on the derivative
        // of the squared distance, from s = u, kept within the stroke's ends (a first-order estimate
        // of the distance thins the stroke where it is steep and shows its round ends as knobs).
        var s = Math.Clamp(u, -halfWidth, halfWidth);
        for (var step = 0; step < NewtonSteps; step++)
        {
            var offset = depth / 2 + _curvature * s * s - v;
            var slope = 2 * _curvature * s;
            var gradient = s - u + offset * slope;
            var second = Math.Max(1 + slope * slope + offset * 2 * _curvature, 0.5f);
            s = Math.Clamp(s - gradient / second, -halfWidth, halfWidth);
        }
        float du = u - s, dv = v - (depth / 2 + _curvature * s * s);
        return MathF.Sqrt(du * du + dv * dv) - thickness / 2;
    }

    // Beyond the curve's bounding box by more than half the stroke and a pixel: nothing to cover.
    public override float Coverage(float u, float v) =>
        Math.Abs(u) > halfWidth + thickness / 2 + 1 || Math.Abs(v) > Math.Abs(depth) / 2 + thickness / 2 + 1 ? 0 : base.Coverage(u, v);
}

/// <summary>
/// A filled open mouth: the region between two parabolas through the same corners (-halfWidth, 0) and (halfWidth, 0),
/// v = depth (1 - (u / halfWidth)^2) for <paramref name="innerDepth"/> and <paramref name="outerDepth"/>, shifted up by
/// half the outer depth so the shape is centred like <see cref="ArcGeometry"/>. Positive depths (v points down) make a
/// smile's open mouth, negative ones a frown's. The distance is first-order along v, enough for anti-aliasing.
/// </summary>
internal sealed class OpenMouthGeometry(float halfWidth, float innerDepth, float outerDepth) : Geometry
{
    private readonly float _shift = outerDepth / 2;

    public override float Reach => MathF.Sqrt(halfWidth * halfWidth + outerDepth * outerDepth) + 1;

    public override float Distance(float u, float v)
    {
        var shape = 1 - u / halfWidth * (u / halfWidth);
        var inner = innerDepth * shape - _shift;
        var outer = outerDepth * shape - _shift;
        var (top, bottom) = inner < outer ? (inner, outer) : (outer, inner);
        return Math.Max(Math.Abs(u) - halfWidth, Math.Max(top - v, v - bottom));
    }
}
