using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Shared;

namespace EmotionApi.RunResults.Plots;

/// <summary>Draws a run's history, ROC curve and confusion matrix as SVG or PNG: the same pictures for a job and its model.</summary>
public static class RunPlots
{
    // A new build may draw differently: its module id is part of every entity tag, so caches never keep an old drawing.
    private static readonly string BuildId = typeof(RunPlots).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>
    /// The entity tag of the plot <paramref name="request"/> asks for: a hash of everything it is drawn from, known
    /// without drawing it, so a conditional request that matches costs no drawing.
    /// </summary>
    public static string EntityTag(PlotRequest request, RunPlotData data)
    {
        object inputs = request.Kind == PlotKind.History
            ? new { request, data.History, data.KeptEpoch, BuildId }
            : new { request, data.Evaluation, BuildId };
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(inputs, RecordJson.Options));
        return $"\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"";
    }

    /// <exception cref="ArgumentException">The data lacks what the plot shows (no epoch, no evaluation): the caller checks first.</exception>
    public static RenderedPlot Render(PlotRequest request, RunPlotData data)
    {
        var scene = Draw(request, data);
        var content = request.Format == PlotFormat.Png ? PngPlotWriter.Write(scene) : Encoding.UTF8.GetBytes(SvgPlotWriter.Write(scene));
        return new RenderedPlot(content, request.ContentType);
    }

    public static PlotScene Draw(PlotRequest request, RunPlotData data) => request.Kind switch
    {
        PlotKind.History => HistoryPlot.Draw(data.History, data.KeptEpoch, request.Width, request.Height),
        PlotKind.Roc => RocPlot.Draw(Evaluation(data), request.Width, request.Height),
        _ => ConfusionPlot.Draw(Evaluation(data), request.Width, request.Height),
    };

    private static EvaluationReport Evaluation(RunPlotData data) =>
        data.Evaluation ?? throw new ArgumentException("The run has no test evaluation to plot.", nameof(data));
}
