namespace EmotionApi.Datasets;

/// <summary>
/// Asked before a dataset is deleted, by the feature that may still need its images (the training jobs register
/// one): the datasets know nothing of who uses them.
/// </summary>
public interface IDatasetInUseCheck
{
    /// <summary>Who uses the dataset and what to do about it, in a sentence; null when nothing needs it.</summary>
    string? InUseReason(string datasetId);
}
