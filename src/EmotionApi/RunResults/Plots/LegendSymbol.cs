namespace EmotionApi.RunResults.Plots;

/// <summary>What a legend entry shows beside its text.</summary>
public enum LegendSymbol
{
    Line,
    DashedLine,
    Dot,
}
