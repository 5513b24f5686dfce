using EmotionApi.Learning.Models;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// Which epoch's weights a run keeps, and when it stops early. With a validation part the epoch of the lowest
/// validation loss is the best and the run stops after <c>patience</c> epochs without a lower one (0 = never); its
/// weights are kept when <c>keepBest</c>, otherwise the last epoch's are (a fixed schedule, the validation part only
/// reported). Without a validation part the monitored set is the test set, only reported (the article's way), and the
/// last epoch is kept.
/// </summary>
internal sealed class BestEpochTracker(bool monitorIsValidation, bool keepBest, int patience)
{
    /// <summary>0 while no epoch had a finite validation loss.</summary>
    public int BestEpoch { get; private set; }
    public double BestLoss { get; private set; } = double.PositiveInfinity;
    /// <summary>The best epoch's weights, held only when the run keeps them (a checkpoint carries them).</summary>
    public byte[]? BestWeights { get; private set; }
    /// <summary>True when early stopping ended the run before its last epoch.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Takes up where a checkpoint left off.</summary>
    public void Restore(CheckpointState state, byte[]? bestWeights)
    {
        BestEpoch = state.BestEpoch;
        BestLoss = state.BestValidationLoss;
        BestWeights = keepBest ? bestWeights : null;
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
            if (keepBest) BestWeights = TrainedModel.SerializeWeights(network);
        }
        else if (patience > 0 && epoch - BestEpoch >= patience)
        {
            Stopped = true;
        }
    }

    /// <summary>
    /// Gives <paramref name="network"/> the best epoch's weights when the run keeps them and has them, with that epoch;
    /// false otherwise (the network's last epoch is the model).
    /// </summary>
    public bool TryRestoreBest(nn.Module network, out int epoch)
    {
        epoch = BestEpoch;
        if (!keepBest || BestWeights is null) return false;
        TrainedModel.LoadWeights(network, BestWeights);
        return true;
    }
}
