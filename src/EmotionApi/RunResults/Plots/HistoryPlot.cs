using System.Globalization;
using EmotionApi.Learning.Training;

namespace EmotionApi.RunResults.Plots;

/// <summary>
/// Learning curves, the article's form: loss and accuracy per epoch, training and validation, in two panels (side by
/// side, or one above the other when the plot is narrow), with the epoch whose weights the model kept marked in both.
/// </summary>
public static class HistoryPlot
{
    private const int MarkersUpTo = 40;

    public static PlotScene Draw(IReadOnlyList<EpochMetrics> history, int? keptEpoch, int width, int height)
    {
        if (history.Count == 0) throw new ArgumentException("A history plot needs at least one epoch.", nameof(history));
        var scene = new PlotScene(width, height, "Learning curves", Describe(history, keptEpoch));
        scene.Text(width / 2.0, 22, $"Learning curves: {Epochs(history.Count)}", 15, anchor: TextAnchor.Middle, bold: true);

        var hasValidation = history.Any(epoch => epoch.ValidationLoss is not null);
        var kept = keptEpoch is { } k && history.Any(epoch => epoch.Epoch == k) ? keptEpoch : null;
        DrawLegendRow(scene, hasValidation, kept, width);

        var sideBySide = width >= height * 1.3;
        const double top = 62, left = 62, right = 16, bottom = 50, gap = 76;
        var (panelWidth, panelHeight) = sideBySide
            ? ((width - left - right - gap) / 2.0, height - top - bottom)
            : (width - left - right, (height - top - bottom - gap) / 2.0);
        var (secondLeft, secondTop) = sideBySide ? (left + panelWidth + gap, top) : (left, top + panelHeight + gap);

        var first = history[0].Epoch;
        var last = history[^1].Epoch;
        var epochRange = first == last ? (first - 0.5, last + 0.5) : (first, last);
        var epochTicks = LinearScale.Ticks(epochRange.Item1, epochRange.Item2, (int)Math.Max(2, panelWidth / 60), minStep: 1);
        string EpochLabel(double epoch) => epoch.ToString("0", CultureInfo.InvariantCulture);

        var losses = history.SelectMany(epoch => new[] { epoch.TrainLoss, epoch.ValidationLoss ?? double.NaN }).Where(double.IsFinite).ToList();
        var lossMax = losses.Count == 0 ? 1 : Math.Max(losses.Max() * 1.08, 1e-3);
        var lossTicks = LinearScale.Ticks(0, lossMax, (int)Math.Max(2, panelHeight / 45));
        var lossFrame = new PlotFrame(left, top, panelWidth, panelHeight, epochRange, (0, Math.Max(lossMax, lossTicks[^1])));
        lossFrame.Draw(scene, epochTicks, EpochLabel, "Epoch", lossTicks, PlotFrame.Number, "Loss (cross-entropy)");
        DrawSeries(scene, lossFrame, history, epoch => epoch.TrainLoss, PlotColours.Training);
        DrawSeries(scene, lossFrame, history, epoch => epoch.ValidationLoss, PlotColours.Validation);

        var accuracyTicks = LinearScale.Ticks(0, 1, (int)Math.Max(2, panelHeight / 45));
        var accuracyFrame = new PlotFrame(secondLeft, secondTop, panelWidth, panelHeight, epochRange, (0, 1));
        accuracyFrame.Draw(scene, epochTicks, EpochLabel, "Epoch", accuracyTicks, PlotFrame.Percent, "Accuracy");
        DrawSeries(scene, accuracyFrame, history, epoch => epoch.TrainAccuracy, PlotColours.Training);
        DrawSeries(scene, accuracyFrame, history, epoch => epoch.ValidationAccuracy, PlotColours.Validation);

        if (kept is { } keptValue)
        {
            var epoch = history.First(e => e.Epoch == keptValue);
            MarkKept(scene, lossFrame, keptValue, epoch.ValidationLoss ?? epoch.TrainLoss, $"kept: epoch {keptValue}");
            MarkKept(scene, accuracyFrame, keptValue, epoch.ValidationAccuracy ?? epoch.TrainAccuracy, null);
        }
        return scene;
    }

    private static void DrawLegendRow(PlotScene scene, bool hasValidation, int? kept, int width)
    {
        var entries = new List<LegendEntry> { new("training", PlotColours.Training, LegendSymbol.Line) };
        if (hasValidation) entries.Add(new LegendEntry("validation", PlotColours.Validation, LegendSymbol.Line));
        if (kept is not null) entries.Add(new LegendEntry("kept epoch", PlotColours.Kept, LegendSymbol.DashedLine));
        const double symbol = 22, spacing = 18, size = 12;
        var total = entries.Sum(entry => symbol + 6 + PlotFont.Measure(entry.Text, size)) + spacing * (entries.Count - 1);
        var x = (width - total) / 2;
        foreach (var entry in entries)
        {
            scene.Line(x, 40, x + symbol, 40, entry.Colour, 2.5, entry.Symbol == LegendSymbol.DashedLine ? [5, 3] : null);
            scene.Text(x + symbol + 6, 44, entry.Text, size);
            x += symbol + 6 + PlotFont.Measure(entry.Text, size) + spacing;
        }
    }

    private static void DrawSeries(PlotScene scene, PlotFrame frame, IReadOnlyList<EpochMetrics> history, Func<EpochMetrics, double?> value, string colour)
    {
        var points = history
            .Select(epoch => (epoch.Epoch, Value: value(epoch)))
            .Where(point => point.Value is { } v && double.IsFinite(v))
            .Select(point => frame.Map(point.Epoch, Math.Min(point.Value!.Value, frame.Y.Max)))
            .ToList();
        if (points.Count == 0) return;
        if (points.Count > 1) scene.Polyline(points, colour);
        if (points.Count <= MarkersUpTo)
            foreach (var point in points) scene.Circle(point.X, point.Y, 2.5, colour);
    }

    private static void MarkKept(PlotScene scene, PlotFrame frame, int epoch, double value, string? label)
    {
        var x = frame.X.Map(epoch);
        scene.Line(x, frame.Top, x, frame.Bottom, PlotColours.Kept, 1.5, [5, 3]);
        if (double.IsFinite(value)) scene.Circle(x, frame.Y.Map(Math.Min(value, frame.Y.Max)), 5, null, PlotColours.Kept);
        if (label is null) return;
        var labelWidth = PlotFont.Measure(label, 11);
        var anchor = x + 4 + labelWidth <= frame.Right ? TextAnchor.Start : TextAnchor.End;
        scene.Text(anchor == TextAnchor.Start ? x + 4 : x - 4, frame.Top + 14, label, 11, PlotColours.Kept, anchor);
    }

    private static string Epochs(int count) => count == 1 ? "1 epoch" : $"{count} epochs";

    private static string Describe(IReadOnlyList<EpochMetrics> history, int? kept)
    {
        var last = history[^1];
        var text = FormattableString.Invariant(
            $"Loss and accuracy per epoch over {Epochs(history.Count)}. Last epoch ({last.Epoch}): training loss {last.TrainLoss:0.###}, training accuracy {last.TrainAccuracy:P1}");
        if (last.ValidationLoss is { } loss && last.ValidationAccuracy is { } accuracy)
            text += FormattableString.Invariant($", validation loss {loss:0.###}, validation accuracy {accuracy:P1}");
        text += ".";
        if (kept is { } epoch) text += $" The model kept the weights of epoch {epoch}.";
        return text;
    }
}
