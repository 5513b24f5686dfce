namespace EmotionApi.RunResults.Plots;

/// <summary>Maps data values in [<paramref name="Min"/>, <paramref name="Max"/>] linearly onto pixels from <paramref name="From"/> to <paramref name="To"/>.</summary>
public sealed record LinearScale(double Min, double Max, double From, double To)
{
    public double Map(double value) => Max == Min ? (From + To) / 2 : From + (value - Min) / (Max - Min) * (To - From);

    /// <summary>
    /// Round tick values (1, 2 or 5 times a power of ten apart) from the first at or above <paramref name="min"/> to the last
    /// at or below <paramref name="max"/>, at most about <paramref name="count"/> of them; never closer than <paramref name="minStep"/>.
    /// </summary>
    public static IReadOnlyList<double> Ticks(double min, double max, int count, double minStep = 0)
    {
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max)) return [min];
        var rough = (max - min) / Math.Max(1, count);
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 5, 10 }.Select(factor => factor * power).First(candidate => candidate >= rough);
        step = Math.Max(step, minStep);
        var decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(step)), 0, 15);
        var ticks = new List<double>();
        for (var index = Math.Ceiling(min / step - 1e-9); index * step <= max + step * 1e-9; index++)
            ticks.Add(Math.Round(index * step, decimals) is var tick && tick == 0 ? 0 : tick); // 0.6, not 0.6000000000000001; never "-0"
        return ticks;
    }
}
