namespace EmotionApi.RunResults.Plots;

/// <summary>
/// A plot as a list of shapes in pixel coordinates (origin top left), drawn once and written as SVG or PNG, so both
/// formats show the same picture. <see cref="Title"/> and <see cref="Description"/> are what a screen reader reads.
/// </summary>
public sealed class PlotScene(int width, int height, string title, string description)
{
    private readonly List<PlotElement> elements = [];

    public int Width { get; } = width;
    public int Height { get; } = height;
    public string Title { get; } = title;
    public string Description { get; } = description;
    public IReadOnlyList<PlotElement> Elements => elements;

    public void Add(PlotElement element) => elements.Add(element);

    public void Line(double x1, double y1, double x2, double y2, string colour, double width = 1, double[]? dash = null) =>
        elements.Add(new PlotPolyline([new PlotPoint(x1, y1), new PlotPoint(x2, y2)], colour, width, dash));

    public void Polyline(IReadOnlyList<PlotPoint> points, string colour, double width = 2, double[]? dash = null) =>
        elements.Add(new PlotPolyline(points, colour, width, dash));

    public void Rectangle(double x, double y, double width, double height, string? fill, string? stroke = null, double strokeWidth = 1) =>
        elements.Add(new PlotRectangle(x, y, width, height, fill, stroke, strokeWidth));

    public void Circle(double x, double y, double radius, string? fill, string? stroke = null) =>
        elements.Add(new PlotCircle(x, y, radius, fill, stroke));

    public void Text(double x, double y, string text, double size, string colour = PlotColours.Text,
        TextAnchor anchor = TextAnchor.Start, bool bold = false, bool vertical = false) =>
        elements.Add(new PlotText(x, y, text, size, colour, anchor, bold, vertical));
}
