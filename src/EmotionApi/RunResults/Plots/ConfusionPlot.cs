using System.Globalization;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;

namespace EmotionApi.RunResults.Plots;

/// <summary>
/// The confusion matrix as a heatmap, the article's form: rows are true classes, columns predicted ones (Negative first,
/// as in the JSON); each cell shows its count and its share of the row, and is shaded by that share.
/// </summary>
public static class ConfusionPlot
{
    private static readonly string[] Classes = Enum.GetNames<EmotionClass>();

    public static PlotScene Draw(EvaluationReport report, int width, int height)
    {
        var counts = report.Confusion.Counts;
        var shares = report.Confusion.NormalizedByTrueClass;
        var scene = new PlotScene(width, height, "Confusion matrix", Describe(report));
        scene.Text(width / 2.0, 22, $"Confusion matrix: test set of {report.TestSize} images", 15, anchor: TextAnchor.Middle, bold: true);

        const double top = 80, left = 96, bottom = 20, barGap = 22, barWidth = 14, barLabels = 46;
        var cell = Math.Max(30, Math.Min((width - left - barGap - barWidth - barLabels) / 2, (height - top - bottom) / 2));
        var gridLeft = left + Math.Max(0, (width - left - barGap - barWidth - barLabels - 2 * cell) / 2);

        scene.Text(gridLeft + cell, top - 26, "Predicted class", 13, anchor: TextAnchor.Middle);
        scene.Text(gridLeft - 62, top + cell, "True class", 13, anchor: TextAnchor.Middle, vertical: true);
        var countSize = Math.Clamp(cell / 5, 11, 28);
        for (var column = 0; column < 2; column++)
            scene.Text(gridLeft + cell * (column + 0.5), top - 8, Classes[column], 12, anchor: TextAnchor.Middle);
        for (var row = 0; row < 2; row++)
        {
            scene.Text(gridLeft - 8, top + cell * (row + 0.5) + 4, Classes[row], 12, anchor: TextAnchor.End);
            for (var column = 0; column < 2; column++)
            {
                var share = shares[row][column];
                var (x, y) = (gridLeft + cell * column, top + cell * row);
                scene.Rectangle(x, y, cell, cell, PlotColours.Heat(share), "#ffffff", 2);
                var ink = share > 0.5 ? "#ffffff" : PlotColours.Text;
                scene.Text(x + cell / 2, y + cell / 2, counts[row][column].ToString(CultureInfo.InvariantCulture), countSize, ink, TextAnchor.Middle, bold: true);
                scene.Text(x + cell / 2, y + cell / 2 + countSize * 0.95, Share(share), countSize * 0.62, ink, TextAnchor.Middle);
            }
        }

        // The colour scale: share of the true class, 0 at the bottom to 100 % at the top.
        var barLeft = gridLeft + 2 * cell + barGap;
        const int steps = 20;
        var barHeight = 2 * cell;
        for (var step = 0; step < steps; step++)
            scene.Rectangle(barLeft, top + barHeight * (steps - 1 - step) / steps, barWidth, barHeight / steps + 0.5, PlotColours.Heat((step + 0.5) / steps));
        scene.Rectangle(barLeft, top, barWidth, barHeight, null, "#bbbbbb");
        foreach (var tick in new[] { 0.0, 0.5, 1.0 })
            scene.Text(barLeft + barWidth + 5, top + barHeight * (1 - tick) + 4, PlotFrame.Percent(tick), 11);
        return scene;
    }

    private static string Share(double share) => double.IsFinite(share) ? (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Describe(EvaluationReport report)
    {
        var counts = report.Confusion.Counts;
        var shares = report.Confusion.NormalizedByTrueClass;
        var rows = Enumerable.Range(0, 2).Select(row =>
            $"Of the {counts[row].Sum()} truly {Classes[row]} images, {counts[row][0]} were predicted {Classes[0]} ({Share(shares[row][0])}) " +
            $"and {counts[row][1]} {Classes[1]} ({Share(shares[row][1])}).");
        return FormattableString.Invariant($"Confusion matrix of {report.TestSize} test images at the threshold {report.Threshold:0.###}. ") + string.Join(" ", rows);
    }
}
