namespace EmotionApi.Learning.Training;

/// <summary>
/// Called from the training thread; implementations must be quick (persist on epochs, not batches). A run resumed
/// from a checkpoint first reports the epochs it restored, then goes on from the next one. An epoch is reported
/// after its checkpoint is saved.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>A named stage: <see cref="TrainingPipeline.LoadingImagesStage"/>, <see cref="TrainingPipeline.TrainingStage"/>, <see cref="TrainingPipeline.EvaluatingStage"/>.</summary>
    void OnStage(string stage) { }
    void OnBatch(BatchProgress progress) { }
    void OnEpoch(EpochMetrics metrics) { }
}
