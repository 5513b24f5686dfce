using System.Numerics;

namespace EmotionApi.Learning.Data;

// A small signed-distance rasteriser for the synthetic faces (ImageSharp.Drawing does not restore
// here). Every shape is a geometry in its own rotated frame; a pixel's coverage is its signed
// distance to the outline, clamped to [0, 1] over one pixel, which anti-aliases the edges.

/// <summary>An RGB colour with channels in [0, 255].</summary>
internal readonly record struct Colour(float R, float G, float B)
{
    /// <summary>Rec. 601 luma, in [0, 255].</summary>
    public float Luma => 0.299f * R + 0.587f * G + 0.114f * B;

    public static Colour Lerp(Colour from, Colour to, float t) =>
        new(from.R + (to.R - from.R) * t, from.G + (to.G - from.G) * t, from.B + (to.B - from.B) * t);

    public Colour Scaled(float factor) => new(R * factor, G * factor, B * factor);

    public Colour Jitter(Random random, float amount) => new(
        Math.Clamp(R + amount * (2 * (float)random.NextDouble() - 1), 0, 255),
        Math.Clamp(G + amount * (2 * (float)random.NextDouble() - 1), 0, 255),
        Math.Clamp(B + amount * (2 * (float)random.NextDouble() - 1), 0, 255));
}

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

internal sealed record Shape(Frame Frame, Geometry Geometry, Colour Colour);

/// <summary>An RGB picture as floats (HWC), drawn on in place, quantised to bytes at the end.</summary>
internal sealed class RgbCanvas
{
    private readonly float[] _pixels;

    public RgbCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _pixels = new float[width * height * 3];
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Linear gradient from <paramref name="from"/> to <paramref name="to"/> along (dx, dy) across the picture.</summary>
    public void FillGradient(Colour from, Colour to, float dx, float dy)
    {
        float centreX = Width / 2f, centreY = Height / 2f;
        var extent = Math.Abs(Width * dx) + Math.Abs(Height * dy);
        for (var y = 0; y < Height; y++)
        {
            var row = y * Width * 3;
            for (var x = 0; x < Width; x++)
            {
                var t = Math.Clamp(((x + 0.5f - centreX) * dx + (y + 0.5f - centreY) * dy) / extent + 0.5f, 0, 1);
                var i = row + x * 3;
                _pixels[i] = from.R + (to.R - from.R) * t;
                _pixels[i + 1] = from.G + (to.G - from.G) * t;
                _pixels[i + 2] = from.B + (to.B - from.B) * t;
            }
        }
    }

    /// <summary>Composites the shape over the picture, visiting only the square its reach allows.</summary>
    public void Draw(Shape shape)
    {
        var reach = shape.Geometry.Reach + 1;
        var x0 = Math.Max(0, (int)MathF.Floor(shape.Frame.OriginX - reach));
        var x1 = Math.Min(Width - 1, (int)MathF.Ceiling(shape.Frame.OriginX + reach));
        var y0 = Math.Max(0, (int)MathF.Floor(shape.Frame.OriginY - reach));
        var y1 = Math.Min(Height - 1, (int)MathF.Ceiling(shape.Frame.OriginY + reach));
        var colour = shape.Colour;
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                var (u, v) = shape.Frame.ToLocal(x + 0.5f, y + 0.5f);
                var coverage = shape.Geometry.Coverage(u, v);
                if (coverage == 0) continue;
                var i = (y * Width + x) * 3;
                _pixels[i] += (colour.R - _pixels[i]) * coverage;
                _pixels[i + 1] += (colour.G - _pixels[i + 1]) * coverage;
                _pixels[i + 2] += (colour.B - _pixels[i + 2]) * coverage;
            }
        }
    }

    /// <summary>
    /// Adds grain: a triangular-distributed offset in [-amplitude, amplitude], the same on the three
    /// channels, constant over square cells of <paramref name="cellSize"/> pixels (xorshift32: cheap,
    /// and the same sequence everywhere).
    /// </summary>
    public void AddGreyNoise(float amplitude, int cellSize, uint seed)
    {
        if (amplitude <= 0) return;
        var columns = (Width + cellSize - 1) / cellSize;
        var rows = (Height + cellSize - 1) / cellSize;
        var cells = new float[columns * rows];
        var state = seed;
        var scale = amplitude / (1 << 24);
        for (var i = 0; i < cells.Length; i++)
            cells[i] = ((int)(Next(ref state) >> 8) + (int)(Next(ref state) >> 8) - (1 << 24)) * scale;

        for (var y = 0; y < Height; y++)
        {
            var row = _pixels.AsSpan(y * Width * 3, Width * 3);
            var cellRow = cells.AsSpan(y / cellSize * columns, columns);
            for (var column = 0; column < columns; column++)
            {
                var offset = cellRow[column];
                var end = Math.Min(Width, (column + 1) * cellSize) * 3;
                for (var i = column * cellSize * 3; i < end; i++) row[i] += offset;
            }
        }

        static uint Next(ref uint state)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            return state;
        }
    }

    /// <summary>Rounds to bytes, clamped to [0, 255]; vectorised (the slowest step when scalar).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[_pixels.Length];
        var lanes = Vector<float>.Count;
        var i = 0;
        for (; i <= _pixels.Length - 4 * lanes; i += 4 * lanes)
        {
            var low = Vector.Narrow(Quantise(i), Quantise(i + lanes));
            var high = Vector.Narrow(Quantise(i + 2 * lanes), Quantise(i + 3 * lanes));
            Vector.Narrow(low, high).CopyTo(bytes, i);
        }
        for (; i < bytes.Length; i++)
            bytes[i] = (byte)(int)(Math.Clamp(_pixels[i], 0, 255) + 0.5f);
        return bytes;
    }

    private Vector<uint> Quantise(int start)
    {
        var clamped = Vector.Min(Vector.Max(new Vector<float>(_pixels, start), Vector<float>.Zero), new Vector<float>(255));
        return Vector.AsVectorUInt32(Vector.ConvertToInt32(clamped + new Vector<float>(0.5f)));
    }
}
