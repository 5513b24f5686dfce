using System.Globalization;

namespace EmotionApi.RunResults.Plots;

/// <summary>A rectangular plotting area with its two scales: draws the grid, the axes, their ticks and their titles.</summary>
public sealed class PlotFrame(double left, double top, double width, double height, (double Min, double Max) x, (double Min, double Max) y)
{
    private const double TickFont = 11;
    private const double TitleFont = 13;

    public double Left { get; } = left;
    public double Top { get; } = top;
    public double Right => Left + Width;
    public double Bottom => Top + Height;
    public double Width { get; } = width;
    public double Height { get; } = height;
    public LinearScale X { get; } = new(x.Min, x.Max, left, left + width);
    public LinearScale Y { get; } = new(y.Min, y.Max, top + height, top);

    public PlotPoint Map(double dataX, double dataY) => new(X.Map(dataX), Y.Map(dataY));

    /// <summary>Grid lines, the frame, tick labels and axis titles.</summary>
    public void Draw(PlotScene scene, IReadOnlyList<double> xTicks, Func<double, string> xLabel, string xTitle,
        IReadOnlyList<double> yTicks, Func<double, string> yLabel, string yTitle)
    {
        foreach (var tick in xTicks)
        {
            var px = X.Map(tick);
            scene.Line(px, Top, px, Bottom, PlotColours.Grid);
            scene.Line(px, Bottom, px, Bottom + 4, PlotColours.Axis);
            scene.Text(px, Bottom + 17, xLabel(tick), TickFont, anchor: TextAnchor.Middle);
        }
        foreach (var tick in yTicks)
        {
            var py = Y.Map(tick);
            scene.Line(Left, py, Right, py, PlotColours.Grid);
            scene.Line(Left - 4, py, Left, py, PlotColours.Axis);
            scene.Text(Left - 7, py + 4, yLabel(tick), TickFont, anchor: TextAnchor.End);
        }
        scene.Rectangle(Left, Top, Width, Height, null, PlotColours.Axis);
        scene.Text(Left + Width / 2, Bottom + 36, xTitle, TitleFont, anchor: TextAnchor.Middle);
        var widest = yTicks.Select(tick => PlotFont.Measure(yLabel(tick), TickFont)).DefaultIfEmpty(0).Max();
        scene.Text(Left - widest - 16, Top + Height / 2, yTitle, TitleFont, anchor: TextAnchor.Middle, vertical: true);
    }

    public static string Percent(double value) => (value * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
