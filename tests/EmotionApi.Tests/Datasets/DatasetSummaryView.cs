namespace EmotionApi.Tests.Datasets;

/// <summary>The summary as a client reads it (strings for enums, to check their spelling on the wire).</summary>
internal sealed record DatasetSummaryView(
    string Id, string Name, DateTimeOffset CreatedAt, string Source, int ImageCount,
    List<ClassCountView> Classes, double PositiveShare, double NaiveBaselineAccuracy, string NaiveBaselineClass,
    ImageSizesView ImageSizes, int SkippedCount, List<SkippedView> Skipped);

internal sealed record ClassCountView(string Class, int Count, double Share);
internal sealed record ImageSizesView(DimensionView Width, DimensionView Height);
internal sealed record DimensionView(int Min, double Median, int Max);
internal sealed record SkippedView(string Path, string Reason);
