using System.Xml.Linq;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;
using EmotionApi.RunResults.Plots;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Tests.RunResults;

/// <summary>What the plots show, read back from the drawn scene, the SVG and the PNG.</summary>
public class PlotDrawingTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // Four negatives and four positives, scores chosen by hand: at the threshold 0.5, TN 3, FP 1, FN 1, TP 3.
    // AUC by counting pairs: of the 16 (positive, negative) pairs the positive scores higher in 14, ties none: 0.875.
    private static readonly EvaluationReport Report = BinaryEvaluation.Evaluate(
        [0, 0, 0, 0, 1, 1, 1, 1],
        [0.1f, 0.2f, 0.3f, 0.7f, 0.4f, 0.6f, 0.8f, 0.9f]);

    private static readonly IReadOnlyList<EpochMetrics> History = Enumerable.Range(1, 6)
        .Select(epoch => new EpochMetrics(epoch, 1.0 / epoch, 0.5 + epoch * 0.05, 1.2 / epoch + (epoch == 4 ? -0.2 : 0), 0.5 + epoch * 0.04, 0.001, 1))
        .ToList();

    [Fact]
    public void Roc_legend_gives_the_auc_and_the_operating_point_of_the_confusion_matrix()
    {
        var scene = RocPlot.Draw(Report, 520, 500);
        var texts = scene.Elements.OfType<PlotText>().Select(text => text.Text).ToList();

        Assert.Equal(0.875, Report.RocAuc, 12);
        Assert.Contains("ROC curve (AUC 0.875)", texts);
        Assert.Contains("threshold 0.5: FPR 0.25, TPR 0.75", texts);
        Assert.Contains("AUC 0.875", scene.Description);
    }

    [Fact]
    public void Roc_operating_point_sits_at_its_rates_on_the_axes_the_diagonal_spans()
    {
        var scene = RocPlot.Draw(Report, 520, 500);
        // The chance diagonal runs from (0, 0) to (1, 1): it fixes where the axes put any rate.
        var diagonal = scene.Elements.OfType<PlotPolyline>().Single(line => line.Colour == PlotColours.Chance && line.Width == 1.5);
        var (origin, corner) = (diagonal.Points[0], diagonal.Points[1]);
        var point = scene.Elements.OfType<PlotCircle>().Single(circle => circle.Fill == PlotColours.OperatingPoint && circle.Radius > 5); // not the legend's dot

        Assert.Equal(origin.X + 0.25 * (corner.X - origin.X), point.X, 6);
        Assert.Equal(origin.Y + 0.75 * (corner.Y - origin.Y), point.Y, 6);
        // The curve passes through every ROC point, from (0, 0) to (1, 1).
        var curve = scene.Elements.OfType<PlotPolyline>().Single(line => line.Colour == PlotColours.Curve && line.Points[0] == origin);
        Assert.Equal(Report.RocCurve.Count, curve.Points.Count);
        Assert.Equal(origin, curve.Points[0]);
        Assert.Equal(corner.X, curve.Points[^1].X, 6);
        Assert.Equal(corner.Y, curve.Points[^1].Y, 6);
    }

    [Fact]
    public void Confusion_cells_show_counts_and_row_shares_darker_for_the_larger_share()
    {
        var report = BinaryEvaluation.Evaluate([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [0.1f, 0.2f, 0.3f, 0.4f, 0.9f, 0.6f, 0.7f, 0.8f, 0.9f, 0.2f]);
        var scene = ConfusionPlot.Draw(report, 520, 420);
        var texts = scene.Elements.OfType<PlotText>().Select(text => text.Text).ToList();

        // True Negative row: 4 right, 1 wrong; true Positive row: 1 wrong, 4 right.
        Assert.Equal([[4, 1], [1, 4]], report.Confusion.Counts);
        Assert.Equal(2, texts.Count(text => text == "4"));
        Assert.Equal(2, texts.Count(text => text == "1"));
        Assert.Equal(2, texts.Count(text => text == "80.0%"));
        Assert.Equal(2, texts.Count(text => text == "20.0%"));
        var cells = scene.Elements.OfType<PlotRectangle>().Where(rectangle => rectangle.Stroke == "#ffffff").ToList();
        Assert.Equal(4, cells.Count);
        Assert.Equal(PlotColours.Heat(0.8), cells[0].Fill);
        Assert.Equal(PlotColours.Heat(0.2), cells[1].Fill);
        Assert.True(Luminance(PlotColours.Heat(0.8)) < Luminance(PlotColours.Heat(0.2)));
        Assert.Contains("Of the 5 truly Negative images, 4 were predicted Negative (80.0%) and 1 Positive (20.0%).", scene.Description);
    }

    [Fact]
    public void History_marks_the_kept_epoch_where_its_points_are_in_both_panels()
    {
        var scene = HistoryPlot.Draw(History, keptEpoch: 4, 800, 360);

        var training = scene.Elements.OfType<PlotPolyline>().Where(line => line.Colour == PlotColours.Training && line.Points.Count == History.Count).ToList();
        var kept = scene.Elements.OfType<PlotPolyline>().Where(line => line.Colour == PlotColours.Kept && line.Points.Count == 2 && line.Points[0].X == line.Points[1].X).ToList();
        Assert.Equal(2, training.Count); // loss and accuracy
        Assert.Equal(2, kept.Count);
        for (var panel = 0; panel < 2; panel++) Assert.Equal(training[panel].Points[3].X, kept[panel].Points[0].X, 6);
        Assert.Contains(scene.Elements.OfType<PlotText>(), text => text.Text == "kept: epoch 4");
        Assert.Contains("The model kept the weights of epoch 4.", scene.Description);
    }

    [Fact]
    public void History_without_validation_draws_no_validation_series_and_one_epoch_draws_a_point()
    {
        var single = new[] { History[0] with { ValidationLoss = null, ValidationAccuracy = null } };
        var scene = HistoryPlot.Draw(single, keptEpoch: 1, 400, 600);

        Assert.DoesNotContain(scene.Elements, element => element is PlotPolyline { Colour: PlotColours.Validation } or PlotCircle { Fill: PlotColours.Validation });
        Assert.Equal(2, scene.Elements.OfType<PlotCircle>().Count(circle => circle.Fill == PlotColours.Training));
        Assert.DoesNotContain(scene.Elements.OfType<PlotText>(), text => text.Text == "validation");
    }

    [Fact]
    public void Narrow_history_stacks_its_panels_and_wide_history_puts_them_side_by_side()
    {
        static IReadOnlyList<PlotRectangle> Frames(PlotScene scene) =>
            scene.Elements.OfType<PlotRectangle>().Where(rectangle => rectangle.Fill is null && rectangle.Stroke == PlotColours.Axis).ToList();

        var wide = Frames(HistoryPlot.Draw(History, 4, 800, 360));
        var narrow = Frames(HistoryPlot.Draw(History, 4, 360, 640));

        Assert.Equal(wide[0].Y, wide[1].Y);
        Assert.True(wide[1].X > wide[0].X + wide[0].Width);
        Assert.Equal(narrow[0].X, narrow[1].X);
        Assert.True(narrow[1].Y > narrow[0].Y + narrow[0].Height);
    }

    [Fact]
    public void Svg_is_well_formed_scalable_and_labelled_for_screen_readers()
    {
        var svg = SvgPlotWriter.Write(RocPlot.Draw(Report, 520, 500));
        var root = XDocument.Parse(svg).Root!;

        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("0 0 520 500", root.Attribute("viewBox")?.Value);
        Assert.Equal("img", root.Attribute("role")?.Value);
        Assert.Equal("ROC curve", root.Element(Svg + "title")?.Value);
        Assert.Contains("false positive rate is 0.25", root.Element(Svg + "desc")?.Value);
        Assert.Contains(root.Descendants(Svg + "text"), text => text.Value == "ROC curve (AUC 0.875)");
        Assert.Contains(root.Descendants(Svg + "circle"), circle => circle.Attribute("fill")?.Value == PlotColours.OperatingPoint);
    }

    [Fact]
    public void Png_has_the_requested_size_and_draws_the_operating_point_and_the_text_with_the_shipped_font()
    {
        var scene = RocPlot.Draw(Report, 600, 540);
        using var image = Image.Load<Rgba32>(PngPlotWriter.Write(scene));

        Assert.Equal((600, 540), (image.Width, image.Height));
        var point = scene.Elements.OfType<PlotCircle>().Single(circle => circle.Fill == PlotColours.OperatingPoint && circle.Radius > 5); // not the legend's dot
        Assert.Equal(new Rgba32(0xd5, 0x5e, 0x00), image[(int)Math.Round(point.X), (int)Math.Round(point.Y)]);
        // The title is drawn: dark pixels in its band (text needs the embedded font: the machine's fonts are never asked).
        var title = scene.Elements.OfType<PlotText>().First();
        var dark = 0;
        for (var y = (int)title.Y - 12; y <= title.Y + 2; y++)
        for (var x = 0; x < image.Width; x++)
            if (image[x, y].R < 100) dark++;
        Assert.True(dark > 200, $"{dark} dark pixels in the title's band");
        Assert.True(PlotFont.Measure("ROC curve", 15) is > 60 and < 80);
    }

    [Fact]
    public void Ticks_are_round_and_cover_the_range_without_minus_zero()
    {
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], LinearScale.Ticks(0, 1, 5));
        Assert.Equal([5, 10, 15], LinearScale.Ticks(1, 15, 4, minStep: 1));
        Assert.Equal([1, 2, 3], LinearScale.Ticks(1, 3, 10, minStep: 1));
        Assert.DoesNotContain(LinearScale.Ticks(-1e-12, 0.7, 4), tick => double.IsNegative(tick));
    }

    [Fact]
    public void Plot_requests_name_a_known_plot_and_format_and_a_size_in_range()
    {
        Assert.Equal(new PlotRequest(PlotKind.Roc, PlotFormat.Svg, 520, 500), PlotRequest.Parse("roc", "svg", null, null));
        Assert.Equal(new PlotRequest(PlotKind.History, PlotFormat.Png, 400, 700), PlotRequest.Parse("History", "PNG", 400, 700));
        Assert.Throws<EmotionApi.Shared.NotFoundException>(() => PlotRequest.Parse("loss", "png", null, null));
        Assert.Throws<EmotionApi.Shared.NotFoundException>(() => PlotRequest.Parse("roc", "jpg", null, null));
        var tooSmall = Assert.Throws<EmotionApi.Shared.ValidationException>(() => PlotRequest.Parse("roc", "png", 10, 5000));
        Assert.Equal(["height", "width"], tooSmall.Errors!.Keys.Order());
    }

    [Fact]
    public void Entity_tag_changes_with_what_is_drawn_and_only_with_it()
    {
        var request = PlotRequest.Parse("history", "svg", null, null);
        var tag = RunPlots.EntityTag(request, new RunPlotData(History, 4, Report));

        Assert.Equal(tag, RunPlots.EntityTag(request, new RunPlotData(History.ToList(), 4, Report)));
        Assert.Equal(tag, RunPlots.EntityTag(request, new RunPlotData(History, 4, null))); // the history plot does not show the evaluation
        Assert.NotEqual(tag, RunPlots.EntityTag(request, new RunPlotData(History, 5, Report)));
        Assert.NotEqual(tag, RunPlots.EntityTag(request, new RunPlotData(History.Take(5).ToList(), 4, Report)));
        Assert.NotEqual(tag, RunPlots.EntityTag(request with { Format = PlotFormat.Png }, new RunPlotData(History, 4, Report)));
        Assert.NotEqual(tag, RunPlots.EntityTag(request with { Width = 700 }, new RunPlotData(History, 4, Report)));
    }

    private static double Luminance(string hex) =>
        0.2126 * Convert.ToInt32(hex[1..3], 16) + 0.7152 * Convert.ToInt32(hex[3..5], 16) + 0.0722 * Convert.ToInt32(hex[5..7], 16);
}
