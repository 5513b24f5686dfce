using System.ComponentModel.DataAnnotations;

namespace EmotionApi.Shared;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The data folder: datasets, jobs, models. Relative paths are resolved against the content root.
    /// Nodes of one deployment share it (a mounted volume).
    /// </summary>
    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>
    /// Work in progress (tmp/, and the temporary files writes leave beside records and caches) untouched for this many
    /// minutes belongs to no live operation: a crash or a kill left it, and it is removed, at start-up and then every
    /// quarter of this (at most every 15 minutes). Nodes sharing the data folder may be writing younger work: keep it
    /// above the longest pause of a slow upload.
    /// </summary>
    [Range(0.01, 10_080, ErrorMessage = "Storage:TempMaxAgeMinutes (environment variable Storage__TempMaxAgeMinutes) must be " +
                                        "{1} to {2} minutes.")]
    public double TempMaxAgeMinutes { get; set; } = 60;

    /// <summary>
    /// Free space the data folder's disk keeps: an upload that would leave less is refused (507), so checkpoints and
    /// models of running jobs still find room. 0 turns the check off.
    /// </summary>
    [Range(0, 1L << 40)]
    public long MinFreeMegabytes { get; set; } = 1024;

    public long MinFreeBytes => MinFreeMegabytes * 1024 * 1024;
}
