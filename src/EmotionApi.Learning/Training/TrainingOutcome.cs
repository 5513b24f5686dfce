using EmotionApi.Learning.Evaluation;

namespace EmotionApi.Learning.Training;

/// <summary>What a run produced: the model, its history and split, and its test metrics.</summary>
/// <param name="Model">The trained network, in eval mode, with its manifest; the caller disposes it.</param>
/// <param name="BestEpoch">The epoch whose weights the model has (1-based): the best validation loss, or the last epoch without a validation part.</param>
/// <param name="Test">Metrics on the test set, which never chose the model when a validation part exists.</param>
/// <param name="Seconds">Wall time of this call; a resumed run's earlier epochs are in <paramref name="History"/>.</param>
/// <param name="TestScores">The model's probabilities on the test set, in <see cref="SplitRecord.Test"/> order: the test set can be evaluated at another threshold.</param>
/// <param name="ValidationScores">
/// The same on the validation part, in <see cref="SplitRecord.Validation"/> order, from which a threshold may be chosen;
/// null when the run had no validation part (the article's validated on its test set).
/// </param>
public sealed record TrainingOutcome(
    Models.TrainedModel Model,
    IReadOnlyList<EpochMetrics> History,
    int BestEpoch,
    EvaluationReport Test,
    SplitRecord Split,
    double Seconds,
    ScoredImages TestScores,
    ScoredImages? ValidationScores);
