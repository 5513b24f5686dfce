namespace EmotionApi.Training;

/// <summary>Where a training job is in its life. Succeeded, failed and cancelled are final.</summary>
public enum TrainingJobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
