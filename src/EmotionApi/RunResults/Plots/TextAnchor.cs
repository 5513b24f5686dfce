namespace EmotionApi.RunResults.Plots;

/// <summary>Where a text's anchor point lies along its baseline.</summary>
public enum TextAnchor
{
    Start,
    Middle,
    End,
}
