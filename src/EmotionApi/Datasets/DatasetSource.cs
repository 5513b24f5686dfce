namespace EmotionApi.Datasets;

/// <summary>Where a dataset came from.</summary>
public enum DatasetSource
{
    /// <summary>A zip uploaded to <c>POST /api/datasets</c>.</summary>
    Upload,
    /// <summary>The built-in synthetic faces (<c>POST /api/datasets/sample</c> or start-up).</summary>
    Sample,
}
