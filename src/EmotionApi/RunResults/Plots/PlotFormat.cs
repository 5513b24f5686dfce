namespace EmotionApi.RunResults.Plots;

/// <summary>How a plot is written: PNG (drawn at its size) or SVG (scales to any).</summary>
public enum PlotFormat
{
    Png,
    Svg,
}
