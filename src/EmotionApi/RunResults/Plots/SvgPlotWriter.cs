using System.Globalization;
using System.Security;
using System.Text;

namespace EmotionApi.RunResults.Plots;

/// <summary>
/// Writes a <see cref="PlotScene"/> as a standalone SVG document: real text (selectable, read by screen readers), a
/// title and a description (role="img", aria-labelledby), and a viewBox so it scales to any width.
/// </summary>
public static class SvgPlotWriter
{
    public static string Write(PlotScene scene)
    {
        var svg = new StringBuilder(4096);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{scene.Width}\" height=\"{scene.Height}\" viewBox=\"0 0 {scene.Width} {scene.Height}\" ");
        svg.Append("role=\"img\" aria-labelledby=\"plot-title plot-desc\" ");
        svg.Append(CultureInfo.InvariantCulture, $"font-family=\"{PlotFont.CssFamily}\">\n");
        svg.Append("<title id=\"plot-title\">").Append(Escape(scene.Title)).Append("</title>\n");
        svg.Append("<desc id=\"plot-desc\">").Append(Escape(scene.Description)).Append("</desc>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{scene.Width}\" height=\"{scene.Height}\" fill=\"{PlotColours.Background}\"/>\n");
        foreach (var element in scene.Elements)
        {
            switch (element)
            {
                case PlotPolyline line:
                    svg.Append("<polyline fill=\"none\" stroke-linejoin=\"round\" points=\"");
                    for (var i = 0; i < line.Points.Count; i++)
                        svg.Append(i == 0 ? "" : " ").Append(N(line.Points[i].X)).Append(',').Append(N(line.Points[i].Y));
                    svg.Append("\" stroke=\"").Append(line.Colour).Append("\" stroke-width=\"").Append(N(line.Width)).Append('"');
                    if (line.Dash is { Length: > 0 } dash) svg.Append(" stroke-dasharray=\"").Append(string.Join(' ', dash.Select(N))).Append('"');
                    svg.Append("/>\n");
                    break;
                case PlotRectangle rectangle:
                    svg.Append("<rect x=\"").Append(N(rectangle.X)).Append("\" y=\"").Append(N(rectangle.Y))
                        .Append("\" width=\"").Append(N(rectangle.Width)).Append("\" height=\"").Append(N(rectangle.Height))
                        .Append("\" fill=\"").Append(rectangle.Fill ?? "none").Append('"');
                    if (rectangle.Stroke is { } stroke) svg.Append(" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(rectangle.StrokeWidth)).Append('"');
                    svg.Append("/>\n");
                    break;
                case PlotCircle circle:
                    svg.Append("<circle cx=\"").Append(N(circle.X)).Append("\" cy=\"").Append(N(circle.Y)).Append("\" r=\"").Append(N(circle.Radius))
                        .Append("\" fill=\"").Append(circle.Fill ?? "none").Append('"');
                    if (circle.Stroke is { } outline) svg.Append(" stroke=\"").Append(outline).Append("\" stroke-width=\"1.5\"");
                    svg.Append("/>\n");
                    break;
                case PlotText text:
                    svg.Append("<text x=\"").Append(N(text.X)).Append("\" y=\"").Append(N(text.Y)).Append("\" font-size=\"").Append(N(text.Size))
                        .Append("\" fill=\"").Append(text.Colour).Append('"');
                    if (text.Anchor != TextAnchor.Start) svg.Append(" text-anchor=\"").Append(text.Anchor == TextAnchor.Middle ? "middle" : "end").Append('"');
                    if (text.Bold) svg.Append(" font-weight=\"bold\"");
                    if (text.Vertical) svg.Append(" transform=\"rotate(-90 ").Append(N(text.X)).Append(' ').Append(N(text.Y)).Append(")\"");
                    svg.Append('>').Append(Escape(text.Text)).Append("</text>\n");
                    break;
                default:
                    throw new InvalidOperationException($"No SVG form for {element.GetType().Name}.");
            }
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Two decimals at most, invariant culture: enough for pixels, and small.</summary>
    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
