using EmotionApi.Learning.Audit;

namespace EmotionApi.Datasets;

/// <summary>
/// What the near-duplicate audit of a dataset found, from the perceptual hashes of its images: the same picture labelled
/// both ways, and copies within a class. Each group lists its images (by their names in the upload) and the largest hash
/// distance between two of them (0: identical hashes).
/// </summary>
/// <param name="DatasetId">The dataset audited.</param>
/// <param name="ImageCount">Images audited: every accepted image of the dataset.</param>
/// <param name="NearDistance">Hashes at most this many bits apart (of 64) count as near (Datasets:Audit:NearDistance).</param>
/// <param name="LabelConflictCount">Groups holding both classes.</param>
/// <param name="DuplicateCount">Groups of one class.</param>
/// <param name="LabelConflicts">Groups of near-identical images labelled both Positive and Negative.</param>
/// <param name="Duplicates">Groups of near-identical images within one class.</param>
public sealed record DatasetAuditView(
    string DatasetId,
    int ImageCount,
    int NearDistance,
    int LabelConflictCount,
    int DuplicateCount,
    IReadOnlyList<DuplicateGroup> LabelConflicts,
    IReadOnlyList<DuplicateGroup> Duplicates)
{
    public static DatasetAuditView Of(string datasetId, int imageCount, DatasetAudit audit) => new(
        datasetId, imageCount, audit.NearDistance, audit.LabelConflicts.Count, audit.Duplicates.Count, audit.LabelConflicts, audit.Duplicates);
}
