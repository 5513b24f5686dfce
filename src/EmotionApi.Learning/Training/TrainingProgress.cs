using EmotionApi.Learning.Evaluation;

namespace EmotionApi.Learning.Training;

/// <summary>One epoch of history: Keras' loss / acc / val_loss / val_acc plus timing.</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double Seconds);

/// <summary>A finished training step: epoch and batch count from 1; the batch's mean loss (class-weighted when weighting is on).</summary>
public sealed record BatchProgress(int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double Loss);

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

/// <summary>Which split each image landed in, recorded with the run.</summary>
public sealed record SplitRecord(IReadOnlyList<string> Train, IReadOnlyList<string> Validation, IReadOnlyList<string> Test);

/// <param name="Model">The trained network, in eval mode, with its manifest; the caller disposes it.</param>
/// <param name="BestEpoch">The epoch whose weights the model has (1-based): the best validation loss, or the last epoch without a validation part.</param>
/// <param name="Test">Metrics on the test set, which never chose the model when a validation part exists.</param>
/// <param name="Seconds">Wall time of this call; a resumed run's earlier epochs are in <paramref name="History"/>.</param>
public sealed record TrainingOutcome(
    Models.TrainedModel Model,
    IReadOnlyList<EpochMetrics> History,
    int BestEpoch,
    EvaluationReport Test,
    SplitRecord Split,
    double Seconds);
