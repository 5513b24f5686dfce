using SkiaSharp;

namespace EmotionApi.RunResults.Plots;

/// <summary>Draws a <see cref="PlotScene"/> with SkiaSharp (anti-aliased, the shipped font) and encodes it as PNG.</summary>
public static class PngPlotWriter
{
    public static byte[] Write(PlotScene scene)
    {
        var info = new SKImageInfo(scene.Width, scene.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException($"No drawing surface of {scene.Width}x{scene.Height}.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColor.Parse(PlotColours.Background));
        foreach (var element in scene.Elements) Draw(canvas, element);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static void Draw(SKCanvas canvas, PlotElement element)
    {
        switch (element)
        {
            case PlotPolyline line:
            {
                using var paint = Stroke(line.Colour, line.Width);
                paint.StrokeJoin = SKStrokeJoin.Round;
                if (line.Dash is { Length: > 0 } dash) paint.PathEffect = SKPathEffect.CreateDash(dash.Select(d => (float)d).ToArray(), 0);
                using var path = new SKPath();
                path.MoveTo((float)line.Points[0].X, (float)line.Points[0].Y);
                foreach (var point in line.Points.Skip(1)) path.LineTo((float)point.X, (float)point.Y);
                canvas.DrawPath(path, paint);
                break;
            }
            case PlotRectangle rectangle:
            {
                var rect = SKRect.Create((float)rectangle.X, (float)rectangle.Y, (float)rectangle.Width, (float)rectangle.Height);
                if (rectangle.Fill is { } fill)
                {
                    using var paint = Fill(fill);
                    canvas.DrawRect(rect, paint);
                }
                if (rectangle.Stroke is { } stroke)
                {
                    using var paint = Stroke(stroke, rectangle.StrokeWidth);
                    canvas.DrawRect(rect, paint);
                }
                break;
            }
            case PlotCircle circle:
            {
                if (circle.Fill is { } fill)
                {
                    using var paint = Fill(fill);
                    canvas.DrawCircle((float)circle.X, (float)circle.Y, (float)circle.Radius, paint);
                }
                if (circle.Stroke is { } outline)
                {
                    using var border = Stroke(outline, 1.5);
                    canvas.DrawCircle((float)circle.X, (float)circle.Y, (float)circle.Radius, border);
                }
                break;
            }
            case PlotText text:
            {
                using var font = new SKFont(PlotFont.Typeface, (float)text.Size) { Embolden = text.Bold, Subpixel = true, Edging = SKFontEdging.Antialias };
                using var paint = Fill(text.Colour);
                var align = text.Anchor switch
                {
                    TextAnchor.Middle => SKTextAlign.Center,
                    TextAnchor.End => SKTextAlign.Right,
                    _ => SKTextAlign.Left,
                };
                canvas.Save();
                canvas.Translate((float)text.X, (float)text.Y);
                if (text.Vertical) canvas.RotateDegrees(-90);
                canvas.DrawText(text.Text, 0, 0, align, font, paint);
                canvas.Restore();
                break;
            }
            default:
                throw new InvalidOperationException($"No PNG form for {element.GetType().Name}.");
        }
    }

    private static SKPaint Fill(string colour) => new() { Color = SKColor.Parse(colour), IsAntialias = true, Style = SKPaintStyle.Fill };

    private static SKPaint Stroke(string colour, double width) =>
        new() { Color = SKColor.Parse(colour), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = (float)width };
}
