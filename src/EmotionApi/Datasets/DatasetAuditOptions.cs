using System.ComponentModel.DataAnnotations;
using EmotionApi.Learning.Audit;

namespace EmotionApi.Datasets;

/// <summary>Configuration section "Datasets:Audit": what counts as a near duplicate, for the audit and for training's grouped split.</summary>
public sealed class DatasetAuditOptions
{
    public const string Section = "Datasets:Audit";

    /// <summary>
    /// Two images whose perceptual hashes differ in at most this many of their 64 bits are near duplicates. The default was
    /// chosen by measurement (docs/dataset-audit.md); lower it for datasets of aligned face crops, which crowd together.
    /// </summary>
    [Range(0, PerceptualHash.Bits)]
    public int NearDistance { get; set; } = DuplicateFinder.DefaultNearDistance;
}
