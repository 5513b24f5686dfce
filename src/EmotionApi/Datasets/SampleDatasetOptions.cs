using System.ComponentModel.DataAnnotations;

namespace EmotionApi.Datasets;

/// <summary>
/// Configuration section "Datasets:Sample": the synthetic dataset made at start-up, so a fresh
/// service has something to train on. Off unless configured (appsettings.json turns it on).
/// </summary>
public sealed class SampleDatasetOptions
{
    public const string Section = "Datasets:Sample";

    /// <summary>Create a sample dataset at start-up when the data folder holds no dataset at all.</summary>
    public bool CreateOnStartup { get; set; }

    [Range(SampleDatasetRequest.MinCount, SampleDatasetRequest.MaxCount)]
    public int Count { get; set; } = SampleDatasetRequest.DefaultCount;

    public int Seed { get; set; } = SampleDatasetRequest.DefaultSeed;

    [Range(SampleDatasetRequest.MinSide, SampleDatasetRequest.MaxSide)]
    public int Width { get; set; } = SampleDatasetRequest.DefaultSide;

    [Range(SampleDatasetRequest.MinSide, SampleDatasetRequest.MaxSide)]
    public int Height { get; set; } = SampleDatasetRequest.DefaultSide;
}
