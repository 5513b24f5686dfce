using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Training;

/// <summary>
/// A whole run: prepare images (once, in parallel), split (test, then validation), train with
/// augmentation, pick the best epoch, evaluate on the test set.
/// </summary>
public sealed class TrainingPipeline
{
    /// <param name="checkpointDirectory">
    /// When given, the state after each completed epoch is saved there (atomically), and a run that
    /// finds a checkpoint of the same settings resumes after its last completed epoch.
    /// </param>
    public TrainingOutcome Run(
        IReadOnlyList<DatasetImage> images,
        TrainingSettings settings,
        ITrainingObserver? observer = null,
        string? checkpointDirectory = null,
        ImageLimits? limits = null,
        CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
