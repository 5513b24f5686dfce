namespace EmotionApi.Learning.Training;

/// <summary>
/// The state of a run after a completed epoch, as a checkpoint stores it (JSON, beside the network's and the
/// optimizer's state): enough to continue exactly as if never interrupted.
/// </summary>
internal sealed record CheckpointState
{
    /// <summary>What run this is (<see cref="TrainingCheckpoint.Fingerprint"/>): a checkpoint of other settings or data is ignored.</summary>
    public required string Fingerprint { get; init; }
    public required int CompletedEpochs { get; init; }
    /// <summary>True when early stopping ended training before the last epoch.</summary>
    public required bool Stopped { get; init; }
    public required IReadOnlyList<EpochMetrics> History { get; init; }
    /// <summary>0 while no epoch had a finite validation loss.</summary>
    public required int BestEpoch { get; init; }
    public required double BestValidationLoss { get; init; }
}
