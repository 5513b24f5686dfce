using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;

namespace EmotionApi.Datasets;

/// <summary>
/// What is in a dataset: the article's "understand the data" step done for the user (class balance,
/// the accuracy to beat, image sizes, and every file that was left out with the reason).
/// </summary>
/// <param name="Id">32 hex digits; the dataset's URL is /api/datasets/{id}.</param>
/// <param name="Name">Display name: the form's 'name', else the zip's file name.</param>
/// <param name="CreatedAt">When the dataset was stored (UTC).</param>
/// <param name="Source">upload or sample.</param>
/// <param name="ImageCount">Accepted images.</param>
/// <param name="Classes">Per class (Negative, then Positive: the article's class indices 0 and 1): count and share of the images.</param>
/// <param name="PositiveShare">Share of Positive images (the article's data: about 0.53).</param>
/// <param name="NaiveBaselineAccuracy">
/// Accuracy of a classifier that always answers the majority class: the floor a model must beat
/// (the article's model reached 55.4% on data whose majority share was about 53%).
/// </param>
/// <param name="NaiveBaselineClass">The class that baseline always answers (Positive on a tie).</param>
/// <param name="ImageSizes">Width and height statistics of the accepted images, in pixels.</param>
/// <param name="SkippedCount">Number of files left out.</param>
/// <param name="Skipped">Every file left out, with the reason.</param>
/// <param name="LabelConflictCount">
/// Groups of near-identical images labelled both Positive and Negative (GET /api/datasets/{id}/audit lists them). Null
/// for a dataset stored before ingest computed perceptual hashes, until its audit is first read.
/// </param>
/// <param name="DuplicateCount">Groups of near-identical images within one class; null as <paramref name="LabelConflictCount"/>.</param>
public sealed record DatasetSummary(
    string Id,
    string Name,
    DateTimeOffset CreatedAt,
    DatasetSource Source,
    int ImageCount,
    IReadOnlyList<ClassCount> Classes,
    double PositiveShare,
    double NaiveBaselineAccuracy,
    EmotionClass NaiveBaselineClass,
    ImageSizeStatistics ImageSizes,
    int SkippedCount,
    IReadOnlyList<SkippedFile> Skipped,
    int? LabelConflictCount,
    int? DuplicateCount)
{
    /// <param name="manifest">The dataset.</param>
    /// <param name="audit">Its near-duplicate audit; null when its hashes are not known yet.</param>
    public static DatasetSummary Of(DatasetManifest manifest, DatasetAudit? audit)
    {
        var images = manifest.Images;
        var total = images.Count;
        double ShareOf(int count) => total == 0 ? 0 : (double)count / total;

        var classes = Enum.GetValues<EmotionClass>()
            .Select(label =>
            {
                var count = images.Count(image => image.Class == label);
                return new ClassCount(label, count, ShareOf(count));
            })
            .ToList();
        var positives = classes.Single(c => c.Class == EmotionClass.Positive).Count;
        var negatives = total - positives;
        var majority = positives >= negatives ? EmotionClass.Positive : EmotionClass.Negative;

        return new DatasetSummary(
            manifest.Id,
            manifest.Name,
            manifest.CreatedAt,
            manifest.Source,
            total,
            classes,
            ShareOf(positives),
            ShareOf(Math.Max(positives, negatives)),
            majority,
            new ImageSizeStatistics(
                DimensionStatistics.Of(images.Select(image => image.Width)),
                DimensionStatistics.Of(images.Select(image => image.Height))),
            manifest.Skipped.Count,
            manifest.Skipped,
            audit?.LabelConflicts.Count,
            audit?.Duplicates.Count);
    }
}

/// <param name="Class">The class (Keras' folder order: Negative = 0, Positive = 1).</param>
/// <param name="Count">Images of this class.</param>
/// <param name="Share">Count divided by all images of the dataset.</param>
public sealed record ClassCount(EmotionClass Class, int Count, double Share);

public sealed record ImageSizeStatistics(DimensionStatistics Width, DimensionStatistics Height);

/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Median">The middle value; the mean of the two middle values for an even count.</param>
public sealed record DimensionStatistics(int Min, double Median, int Max)
{
    public static DimensionStatistics Of(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return new DimensionStatistics(0, 0, 0);
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
        return new DimensionStatistics(sorted[0], median, sorted[^1]);
    }
}
