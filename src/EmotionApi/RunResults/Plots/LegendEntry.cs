namespace EmotionApi.RunResults.Plots;

/// <summary>A legend's line: its text and the symbol drawn beside it.</summary>
public sealed record LegendEntry(string Text, string Colour, LegendSymbol Symbol);
