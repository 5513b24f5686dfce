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
        var opacity = shape.Opacity;
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                var (u, v) = shape.Frame.ToLocal(x + 0.5f, y + 0.5f);
                var coverage = shape.Geometry.Coverage(u, v);
                if (coverage == 0) continue;
                // Times 1 for an opaque shape: the same bits as before opacity existed.
                coverage *= opacity;
                if (shape.Shading is { } shading) colour = shape.Colour.Scaled(shading.Factor(u, v));
                var i = (y * Width + x) * 3;
                _pixels[i] += (colour.R - _pixels[i]) * coverage;
                _pixels[i + 1] += (colour.G - _pixels[i + 1]) * coverage;
                _pixels[i + 2] += (colour.B - _pixels[i + 2]) * coverage;
            }
        }
    }

    /// <summary>Two colours in bands of <paramref name="period"/> pixels across the direction (dx, dy), the first taking <paramref name="duty"/> of each.</summary>
    public void FillStripes(Colour first, Colour second, float dx, float dy, float period, float duty)
    {
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var t = ((x + 0.5f) * dx + (y + 0.5f) * dy) / period;
                Set(x, y, t - MathF.Floor(t) < duty ? first : second);
            }
        }
    }

    /// <summary>A checkerboard of <paramref name="cell"/>-pixel squares in <paramref name="frame"/>'s rotation.</summary>
    public void FillChecker(Colour first, Colour second, Frame frame, float cell)
    {
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var (u, v) = frame.ToLocal(x + 0.5f, y + 0.5f);
                var parity = ((int)MathF.Floor(u / cell) + (int)MathF.Floor(v / cell)) & 1;
                Set(x, y, parity == 0 ? first : second);
            }
        }
    }

    /// <summary>
    /// Smooth value noise: random values on a grid of <paramref name="cellsAcross"/> cells along the shorter side,
    /// interpolated with smoothstep, map each pixel between <paramref name="low"/> and <paramref name="high"/> (clouds, stains, foliage).
    /// </summary>
    public void FillValueNoise(Colour low, Colour high, int cellsAcross, Random random)
    {
        var cell = (float)Math.Min(Width, Height) / Math.Max(1, cellsAcross);
        var columns = (int)(Width / cell) + 2;
        var rows = (int)(Height / cell) + 2;
        var lattice = new float[columns * rows];
        for (var i = 0; i < lattice.Length; i++) lattice[i] = (float)random.NextDouble();
        for (var y = 0; y < Height; y++)
        {
            var gy = (y + 0.5f) / cell;
            var row = (int)gy;
            var fy = Smooth(gy - row);
            for (var x = 0; x < Width; x++)
            {
                var gx = (x + 0.5f) / cell;
                var column = (int)gx;
                var fx = Smooth(gx - column);
                var top = lattice[row * columns + column] + (lattice[row * columns + column + 1] - lattice[row * columns + column]) * fx;
                var bottom = lattice[(row + 1) * columns + column] + (lattice[(row + 1) * columns + column + 1] - lattice[(row + 1) * columns + column]) * fx;
                Set(x, y, Colour.Lerp(low, high, top + (bottom - top) * fy));
            }
        }

        static float Smooth(float t) => t * t * (3 - 2 * t);
    }

    /// <summary>
    /// A box blur of <paramref name="radius"/> pixels along rows then columns, edges repeated; <paramref name="passes"/>
    /// passes approach a Gaussian (a camera's defocus, a soft scan).
    /// </summary>
    public void BoxBlur(int radius, int passes)
    {
        if (radius < 1) return;
        var scratch = new float[_pixels.Length];
        for (var pass = 0; pass < passes; pass++)
        {
            BlurAxis(_pixels, scratch, Width, Height, radius, horizontal: true);
            BlurAxis(scratch, _pixels, Width, Height, radius, horizontal: false);
        }
    }

    private static void BlurAxis(float[] source, float[] target, int width, int height, int radius, bool horizontal)
    {
        var (lines, length) = horizontal ? (height, width) : (width, height);
        var window = 2 * radius + 1;
        for (var line = 0; line < lines; line++)
        {
            int Index(int position) => horizontal
                ? (line * width + Math.Clamp(position, 0, length - 1)) * 3
                : (Math.Clamp(position, 0, length - 1) * width + line) * 3;
            for (var c = 0; c < 3; c++)
            {
                var sum = 0f;
                for (var k = -radius; k <= radius; k++) sum += source[Index(k) + c];
                for (var position = 0; position < length; position++)
                {
                    target[Index(position) + c] = sum / window;
                    sum += source[Index(position + radius + 1) + c] - source[Index(position - radius) + c];
                }
            }
        }
    }

    private void Set(int x, int y, Colour colour)
    {
        var i = (y * Width + x) * 3;
        _pixels[i] = colour.R;
        _pixels[i + 1] = colour.G;
        _pixels[i + 2] = colour.B;
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
