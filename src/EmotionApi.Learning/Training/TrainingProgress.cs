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

public sealed record BatchProgress(int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double Loss);

/// <summary>Called from the training thread; implementations must be quick (persist on epochs, not batches).</summary>
public interface ITrainingObserver
{
    /// <summary>A named stage: "loading images", "training", "evaluating".</summary>
    void OnStage(string stage) { }
    void OnBatch(BatchProgress progress) { }
    void OnEpoch(EpochMetrics metrics) { }
}

/// <summary>Which split each image landed in, recorded with the run.</summary>
public sealed record SplitRecord(IReadOnlyList<string> Train, IReadOnlyList<string> Validation, IReadOnlyList<string> Test);

public sealed record TrainingOutcome(
    Models.TrainedModel Model,
    IReadOnlyList<EpochMetrics> History,
    int BestEpoch,
    EvaluationReport Test,
    SplitRecord Split,
    double Seconds);
