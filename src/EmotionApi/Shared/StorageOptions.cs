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
}
