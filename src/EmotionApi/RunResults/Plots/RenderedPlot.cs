namespace EmotionApi.RunResults.Plots;

/// <summary>A drawn plot: its bytes and their media type.</summary>
public sealed record RenderedPlot(byte[] Content, string ContentType);
