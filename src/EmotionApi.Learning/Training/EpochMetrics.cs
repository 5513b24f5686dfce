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
