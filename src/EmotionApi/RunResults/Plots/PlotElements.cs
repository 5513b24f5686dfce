namespace EmotionApi.RunResults.Plots;

/// <summary>One shape of a <see cref="PlotScene"/>; coordinates in pixels from the top left.</summary>
public abstract record PlotElement;

public readonly record struct PlotPoint(double X, double Y);

/// <summary>Connected line segments; <paramref name="Dash"/> as SVG's stroke-dasharray (null = solid).</summary>
public sealed record PlotPolyline(IReadOnlyList<PlotPoint> Points, string Colour, double Width, double[]? Dash) : PlotElement;

/// <summary>A rectangle filled and / or outlined (a null colour draws nothing of that part).</summary>
public sealed record PlotRectangle(double X, double Y, double Width, double Height, string? Fill, string? Stroke, double StrokeWidth) : PlotElement;

/// <summary>A circle filled and / or outlined (a null colour draws nothing of that part).</summary>
public sealed record PlotCircle(double X, double Y, double Radius, string? Fill, string? Stroke) : PlotElement;

/// <summary>
/// One line of text whose baseline starts, centres or ends at (<paramref name="X"/>, <paramref name="Y"/>);
/// <paramref name="Vertical"/> turns it a quarter anticlockwise about that point (a y-axis label).
/// </summary>
public sealed record PlotText(double X, double Y, string Text, double Size, string Colour, TextAnchor Anchor, bool Bold, bool Vertical) : PlotElement;
