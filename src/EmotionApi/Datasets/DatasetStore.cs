using EmotionApi.Learning.Data;

namespace EmotionApi.Datasets;

/// <summary>
/// Datasets on disk: <c>{data}/datasets/{id}/</c> with a manifest and the accepted image files.
/// A dataset appears only when complete (built under tmp/, then moved into view with one rename).
/// </summary>
public sealed class DatasetStore
{
    /// <summary>True when a complete dataset with this id exists.</summary>
    public bool Exists(string id) => throw new NotImplementedException();

    /// <summary>The accepted images of a dataset, with absolute file paths; null when there is no such dataset.</summary>
    public IReadOnlyList<DatasetImage>? GetImages(string id) => throw new NotImplementedException();
}
