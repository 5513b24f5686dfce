using System.Numerics;

namespace EmotionApi.Learning.Data;

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
