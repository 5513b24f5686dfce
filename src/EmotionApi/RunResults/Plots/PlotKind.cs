namespace EmotionApi.RunResults.Plots;

/// <summary>The plots of a run.</summary>
public enum PlotKind
{
    History,
    Roc,
    Confusion,
}
