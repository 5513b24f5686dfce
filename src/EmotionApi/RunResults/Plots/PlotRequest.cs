using EmotionApi.Shared;

namespace EmotionApi.RunResults.Plots;

/// <summary>Which plot, in which format, at which size: read from a plot URL's file name and its query.</summary>
public sealed record PlotRequest(PlotKind Kind, PlotFormat Format, int Width, int Height)
{
    public const int MinSide = 240;
    public const int MaxSide = 2400;

    /// <summary>The plots' file names as URLs spell them: history, roc, confusion.</summary>
    public static IReadOnlyList<string> Names { get; } = ["history", "roc", "confusion"];

    /// <summary>The default size of each plot, in pixels (SVG scales to any size; PNG is drawn at this size).</summary>
    public static (int Width, int Height) DefaultSize(PlotKind kind) => kind switch
    {
        PlotKind.History => (800, 360),
        PlotKind.Roc => (520, 500),
        _ => (520, 420),
    };

    /// <exception cref="NotFoundException">No such plot or format (the URL names a file that does not exist).</exception>
    /// <exception cref="ValidationException">A width or height outside <see cref="MinSide"/> to <see cref="MaxSide"/>.</exception>
    public static PlotRequest Parse(string plot, string format, int? width, int? height)
    {
        var kind = plot.ToLowerInvariant() switch
        {
            "history" => PlotKind.History,
            "roc" => PlotKind.Roc,
            "confusion" => PlotKind.Confusion,
            _ => (PlotKind?)null,
        };
        var parsedFormat = format.ToLowerInvariant() switch
        {
            "png" => PlotFormat.Png,
            "svg" => PlotFormat.Svg,
            _ => (PlotFormat?)null,
        };
        if (kind is null || parsedFormat is null)
            throw new NotFoundException("Plot not found",
                $"There is no plot '{plot}.{format}'. Plots: {string.Join(", ", Names)}, each as .png or .svg.");

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Check(string field, int? value)
        {
            if (value is { } side and (< MinSide or > MaxSide))
                errors[field] = [$"{field} must be from {MinSide} to {MaxSide} pixels, not {side}."];
        }
        Check("width", width);
        Check("height", height);
        if (errors.Count > 0) throw new ValidationException(errors);

        var (defaultWidth, defaultHeight) = DefaultSize(kind.Value);
        return new PlotRequest(kind.Value, parsedFormat.Value, width ?? defaultWidth, height ?? defaultHeight);
    }

    public string ContentType => Format == PlotFormat.Png ? "image/png" : "image/svg+xml";
}
