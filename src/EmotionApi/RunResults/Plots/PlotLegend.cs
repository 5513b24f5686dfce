namespace EmotionApi.RunResults.Plots;

/// <summary>A boxed legend, its entries one under another.</summary>
public static class PlotLegend
{
    private const double FontSize = 12;
    private const double RowHeight = 18;
    private const double SymbolWidth = 24;
    private const double Padding = 8;

    public static (double Width, double Height) Measure(IReadOnlyList<LegendEntry> entries) =>
        (Padding * 2 + SymbolWidth + 6 + entries.Max(entry => PlotFont.Measure(entry.Text, FontSize)), Padding * 2 + RowHeight * entries.Count - 4);

    /// <summary>Draws the legend with its top left corner at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public static void Draw(PlotScene scene, IReadOnlyList<LegendEntry> entries, double x, double y)
    {
        var (width, height) = Measure(entries);
        scene.Rectangle(x, y, width, height, "#ffffff", "#bbbbbb");
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var middle = y + Padding + 6 + i * RowHeight;
            var left = x + Padding;
            switch (entry.Symbol)
            {
                case LegendSymbol.Dot:
                    scene.Circle(left + SymbolWidth / 2, middle, 5, entry.Colour, "#ffffff");
                    break;
                default:
                    scene.Line(left, middle, left + SymbolWidth, middle, entry.Colour, 2.5, entry.Symbol == LegendSymbol.DashedLine ? [5, 3] : null);
                    break;
            }
            scene.Text(left + SymbolWidth + 6, middle + 4, entry.Text, FontSize);
        }
    }
}
