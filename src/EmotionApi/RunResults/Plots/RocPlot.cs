using EmotionApi.Learning.Evaluation;

namespace EmotionApi.RunResults.Plots;

/// <summary>
/// The ROC curve of a test set: the curve, the chance diagonal, the AUC in the legend, and the operating point: where
/// the model stands at its threshold (its false and true positive rates, from the confusion matrix at that threshold).
/// </summary>
public static class RocPlot
{
    public static PlotScene Draw(EvaluationReport report, int width, int height)
    {
        var (falsePositiveRate, truePositiveRate) = OperatingPoint(report);
        var auc = double.IsFinite(report.RocAuc) ? FormattableString.Invariant($"AUC {report.RocAuc:0.000}") : "AUC undefined: one class only";
        var scene = new PlotScene(width, height, "ROC curve", Describe(report, auc, falsePositiveRate, truePositiveRate));
        scene.Text(width / 2.0, 22, $"ROC curve: test set of {report.TestSize} images", 15, anchor: TextAnchor.Middle, bold: true);

        const double top = 40, left = 70, right = 18, bottom = 52;
        var side = Math.Max(40, Math.Min(width - left - right, height - top - bottom));
        var frame = new PlotFrame(left + (width - left - right - side) / 2, top, side, side, (0, 1), (0, 1));
        var ticks = LinearScale.Ticks(0, 1, (int)Math.Max(2, side / 50));
        frame.Draw(scene, ticks, PlotFrame.Number, "False positive rate", ticks, PlotFrame.Number, "True positive rate");

        scene.Line(frame.X.Map(0), frame.Y.Map(0), frame.X.Map(1), frame.Y.Map(1), PlotColours.Chance, 1.5, [6, 4]);
        var curve = report.RocCurve
            .Where(point => double.IsFinite(point.FalsePositiveRate) && double.IsFinite(point.TruePositiveRate))
            .Select(point => frame.Map(point.FalsePositiveRate, point.TruePositiveRate))
            .ToList();
        if (curve.Count > 1) scene.Polyline(curve, PlotColours.Curve, 2.5);

        var legend = new List<LegendEntry> { new($"ROC curve ({auc})", PlotColours.Curve, LegendSymbol.Line), new("chance (AUC 0.5)", PlotColours.Chance, LegendSymbol.DashedLine) };
        if (double.IsFinite(falsePositiveRate) && double.IsFinite(truePositiveRate))
        {
            var point = frame.Map(falsePositiveRate, truePositiveRate);
            scene.Circle(point.X, point.Y, 6, PlotColours.OperatingPoint, "#ffffff");
            legend.Add(new LegendEntry(
                FormattableString.Invariant($"threshold {report.Threshold:0.###}: FPR {falsePositiveRate:0.00}, TPR {truePositiveRate:0.00}"),
                PlotColours.OperatingPoint, LegendSymbol.Dot));
        }
        var (legendWidth, legendHeight) = PlotLegend.Measure(legend);
        PlotLegend.Draw(scene, legend, Math.Max(frame.Left + 4, frame.Right - legendWidth - 8), frame.Bottom - legendHeight - 8);
        return scene;
    }

    /// <summary>False and true positive rates at the report's threshold (NaN for a class the test set lacks).</summary>
    public static (double FalsePositiveRate, double TruePositiveRate) OperatingPoint(EvaluationReport report)
    {
        var counts = report.Confusion.Counts; // rows: true Negative, Positive; columns: predicted Negative, Positive
        double Rate(int[] row) => row.Sum() is var total and > 0 ? (double)row[1] / total : double.NaN;
        return (Rate(counts[0]), Rate(counts[1]));
    }

    private static string Describe(EvaluationReport report, string auc, double falsePositiveRate, double truePositiveRate) =>
        FormattableString.Invariant(
            $"ROC curve of {report.TestSize} test images, {auc}. At the threshold {report.Threshold:0.###} the model's false positive rate is {falsePositiveRate:0.00} and its true positive rate {truePositiveRate:0.00}.");
}
