namespace EmotionApi.RunResults.Plots;

/// <summary>The plots' colours: Okabe and Ito's palette, told apart with every common colour-vision deficiency.</summary>
public static class PlotColours
{
    public const string Text = "#222222";
    public const string Axis = "#444444";
    public const string Grid = "#e3e3e3";
    public const string Background = "#ffffff";
    public const string Training = "#0072b2";   // blue
    public const string Validation = "#e69f00"; // orange
    public const string Kept = "#009e73";       // bluish green
    public const string Curve = "#0072b2";
    public const string Chance = "#888888";
    public const string OperatingPoint = "#d55e00"; // vermillion

    /// <summary>White to the palette's blue: the confusion heatmap's scale for shares from 0 to 1.</summary>
    public static string Heat(double share)
    {
        share = double.IsNaN(share) ? 0 : Math.Clamp(share, 0, 1);
        (int R, int G, int B) low = (0xf7, 0xfb, 0xff), high = (0x08, 0x30, 0x6b);
        int Mix(int a, int b) => (int)Math.Round(a + (b - a) * share);
        return $"#{Mix(low.R, high.R):x2}{Mix(low.G, high.G):x2}{Mix(low.B, high.B):x2}";
    }
}
