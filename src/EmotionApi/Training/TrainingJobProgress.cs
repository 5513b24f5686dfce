namespace EmotionApi.Training;

/// <summary>How far a run is: epoch and batch of total (both counted from 1), with a time estimate.</summary>
/// <param name="Epoch">The epoch in progress.</param>
/// <param name="Epochs">Epochs planned (early stopping may end the run sooner).</param>
/// <param name="Batch">The last finished batch of <paramref name="Epoch"/>.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Percent">Share of the planned batches done, 0 to 100.</param>
/// <param name="ElapsedSeconds">Time since the current run of the job started.</param>
/// <param name="EstimatedSecondsLeft">From the pace of the batches so far; null until there is a pace.</param>
public sealed record TrainingJobProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double Percent,
    double ElapsedSeconds,
    double? EstimatedSecondsLeft);
