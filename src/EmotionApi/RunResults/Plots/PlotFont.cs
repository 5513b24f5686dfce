using SkiaSharp;

namespace EmotionApi.RunResults.Plots;

/// <summary>
/// The one font of every plot: Liberation Sans, shipped inside the service (Fonts/, SIL OFL 1.1), so PNG text looks the same
/// on a machine without fonts (the Docker image has none). It has Arial's metrics, so the SVG's text, drawn with the
/// reader's Arial or Helvetica where Liberation Sans is missing, takes the widths the layout measured here.
/// </summary>
public static class PlotFont
{
    /// <summary>The SVG's font-family: this font first, then metric-compatible ones.</summary>
    public const string CssFamily = "'Liberation Sans', Arial, Helvetica, sans-serif";

    internal const string ResourceName = "EmotionApi.Plots.LiberationSans-Regular.ttf";

    private static readonly Lazy<SKTypeface> Face = new(Load);

    public static SKTypeface Typeface => Face.Value;

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="size"/> pixels (bold is drawn a little wider: allow for it).</summary>
    public static double Measure(string text, double size, bool bold = false)
    {
        using var font = new SKFont(Typeface, (float)size) { Embolden = bold };
        return font.MeasureText(text) * (bold ? 1.05 : 1);
    }

    private static SKTypeface Load()
    {
        using var stream = typeof(PlotFont).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"The plot font {ResourceName} is not embedded in the service.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("The plot font could not be read.");
    }
}
