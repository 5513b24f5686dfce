using EmotionApi.Learning.Models;
using static TorchSharp.torch;
using TorchSharp.Modules;

namespace EmotionApi.Learning.Training;

/// <summary>
/// What a checkpoint restores: the epochs done (their metrics) and the best-epoch tracker, with the network's and
/// the optimizer's state (and the weight average's, when the run keeps one) saved beside them. Captured after every
/// epoch, so a resumed run goes on as if never stopped.
/// </summary>
/// <param name="fingerprint">The run's identity (<see cref="CheckpointState.Fingerprint"/>).</param>
internal sealed class RunState(string fingerprint, BestEpochTracker best)
{
    public string Fingerprint => fingerprint;
    public List<EpochMetrics> History { get; } = [];
    public BestEpochTracker Best => best;
    public int CompletedEpochs => History.Count;

    /// <summary>
    /// Restores the network, the optimizer and this state from <paramref name="saved"/>; false, this state untouched,
    /// when the network or the optimizer refuses what was saved.
    /// </summary>
    public bool TryRestore(TrainingCheckpoint.Contents saved, nn.Module network, OptimizerHelper optimizer, WeightAverage? average)
    {
        // A run that averages weights cannot go on from a checkpoint without its average.
        if ((average is null) != (saved.Average is null)) return false;
        try
        {
            TrainedModel.LoadWeights(network, saved.Weights);
            using var reader = new BinaryReader(new MemoryStream(saved.Optimizer, writable: false));
            optimizer.load_state_dict(reader);
            if (saved.Average is { } averaged) average!.Restore(averaged);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or FormatException)
        {
            return false;
        }
        History.AddRange(saved.State.History);
        best.Restore(saved.State, saved.BestWeights);
        return true;
    }

    /// <summary>The checkpoint of the epochs done so far.</summary>
    public TrainingCheckpoint.Contents Capture(nn.Module network, OptimizerHelper optimizer, WeightAverage? average) => new(
        new CheckpointState
        {
            Fingerprint = fingerprint,
            CompletedEpochs = CompletedEpochs,
            Stopped = best.Stopped,
            History = History.ToArray(),
            BestEpoch = best.BestEpoch,
            BestValidationLoss = best.BestLoss,
        },
        TrainedModel.SerializeWeights(network),
        SerializeOptimizer(optimizer),
        best.BestWeights,
        average?.Serialize());

    private static byte[] SerializeOptimizer(OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.save_state_dict(writer);
        }
        return buffer.ToArray();
    }
}
