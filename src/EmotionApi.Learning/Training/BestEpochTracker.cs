using EmotionApi.Learning.Models;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// Which epoch's weights a run keeps, and when it stops early. With a validation part the epoch of the lowest
/// validation loss is best (its weights are kept) and the run stops after <c>patience</c> epochs without a lower one
/// (0 = never); otherwise the monitored set is the test set, only reported (the article's way), and the last epoch is kept.
/// </summary>
internal sealed class BestEpochTracker(bool monitorIsValidation, int patience)
{
    /// <summary>0 while no epoch had a finite validation loss.</summary>
    public int BestEpoch { get; private set; }
    public double BestLoss { get; private set; } = double.PositiveInfinity;
    public byte[]? BestWeights { get; private set; }
    /// <summary>True when early stopping ended the run before its last epoch.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Takes up where a checkpoint left off.</summary>
    public void Restore(CheckpointState state, byte[]? bestWeights)
    {
        BestEpoch = state.BestEpoch;
        BestLoss = state.BestValidationLoss;
        BestWeights = bestWeights;
        Stopped = state.Stopped;
    }

    /// <summary>Weighs a finished epoch by its monitored loss (null without a monitored set).</summary>
    public void Update(int epoch, double? monitorLoss, nn.Module network)
    {
        if (!monitorIsValidation)
        {
            BestEpoch = epoch;
        }
        else if (monitorLoss < BestLoss)
        {
            BestEpoch = epoch;
            BestLoss = monitorLoss.Value;
            BestWeights = TrainedModel.SerializeWeights(network);
        }
        else if (patience > 0 && epoch - BestEpoch >= patience)
        {
            Stopped = true;
        }
    }

    /// <summary>Gives <paramref name="network"/> the kept epoch's weights; returns that epoch (the last one when no better one was kept).</summary>
    public int KeepBest(nn.Module network, int lastEpoch)
    {
        if (!monitorIsValidation || BestWeights is null) return lastEpoch;
        TrainedModel.LoadWeights(network, BestWeights);
        return BestEpoch;
    }
}
