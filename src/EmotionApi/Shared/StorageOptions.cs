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
    /// Free space the data folder's disk keeps: an upload that would leave less is refused (507), so checkpoints and
    /// models of running jobs still find room. 0 turns the check off.
    /// </summary>
    [Range(0, 1L << 40)]
    public long MinFreeMegabytes { get; set; } = 1024;

    public long MinFreeBytes => MinFreeMegabytes * 1024 * 1024;
}
