using System.Diagnostics;
using EmotionApi.Learning.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// The epochs of a run: Adam (AdamW with weight decay) on binary cross-entropy with logits, optional class
/// weights and cosine learning rate, augmentation on training batches only, a monitored set after each epoch,
/// early stopping and the best epoch's weights (or the last epoch's), an optional moving average of the weights, and
/// a checkpoint per epoch to resume from.
/// </summary>
/// <remarks>
/// Each epoch: <see cref="FineTuning"/> sets the rates and the training mode, <see cref="TrainingEpoch"/> trains,
/// <see cref="Evaluate"/> scores the monitored set (with the averaged weights when there are any),
/// <see cref="BestEpochTracker"/> weighs the result, and the checkpoint saves the <see cref="RunState"/>.
/// </remarks>
internal sealed class TrainingLoop
{
    // Batches read ahead of the one training: one keeps a step from waiting on a read of the page cache; the second
    // absorbs a slower read from the disk.
    private const int ReadAhead = 2;

    private readonly TrainingSettings settings;
    private readonly Func<nn.Module<Tensor, Tensor>> createNetwork;
    private readonly ITrainingObserver observer;
    private readonly FineTuning fineTuning;

    public TrainingLoop(TrainingSettings settings, Func<nn.Module<Tensor, Tensor>> createNetwork, ITrainingObserver observer)
    {
        this.settings = settings;
        this.createNetwork = createNetwork;
        this.observer = observer;
        fineTuning = new FineTuning(settings);
    }

    /// <summary>Trains on prepared images: augmented as the settings ask, scored mirror-averaged when they ask.</summary>
    public TrainedNetwork Train(
        LabeledImages train,
        LabeledImages monitor,
        bool monitorIsValidation,
        TrainingCheckpoint? checkpoint,
        string fingerprint,
        CancellationToken cancellationToken)
    {
        // One reader for training and monitoring: its buffers hold a few batches, its thread reads the next while a step runs.
        using var reader = new BatchReader(train.Images.Size, Math.Min(settings.BatchSize, Math.Max(train.Count, monitor.Count)), ReadAhead);
        using var trainInputs = new ImageInputs(train.Images, reader, settings.Augmentation, settings.TestTimeFlip);
        using var monitorInputs = new ImageInputs(monitor.Images, reader, Augmentation.AugmentationSettings.None, settings.TestTimeFlip);
        return Train(new LabeledInputs(trainInputs, train.Labels), new LabeledInputs(monitorInputs, monitor.Labels),
            monitorIsValidation, checkpoint, fingerprint, cancellationToken);
    }

    /// <param name="monitor">
    /// Evaluated after every epoch. With <paramref name="monitorIsValidation"/> it is a validation part that picks
    /// the best epoch (unless the settings keep the last) and stops early; otherwise it is the test set, reported only
    /// (the article's way), and the last epoch is kept.
    /// </param>
    public TrainedNetwork Train(
        LabeledInputs train,
        LabeledInputs monitor,
        bool monitorIsValidation,
        TrainingCheckpoint? checkpoint,
        string fingerprint,
        CancellationToken cancellationToken)
    {
        if (train.Count == 0) throw new ArgumentException("No training images.", nameof(train));
        var (network, optimizer, average) = CreateRun();
        try
        {
            // The checkpoint must also match the network's layers: code of another version resumes nothing.
            var keepBest = monitorIsValidation && settings.KeepBestEpoch;
            var state = new RunState($"{fingerprint}/{Architecture(network)}",
                new BestEpochTracker(monitorIsValidation, keepBest, settings.EarlyStoppingPatience));
            if (checkpoint?.TryRead(state.Fingerprint) is { } saved && !state.TryRestore(saved, network, optimizer, average))
            {
                // Half-restored state is useless: start afresh from the same seeded initialisation.
                DisposeRun(network, optimizer, average);
                (network, optimizer, average) = CreateRun();
            }
            var monitorLogits = RunEpochs(network, optimizer, average, state, train, monitor, checkpoint, cancellationToken);
            if (!state.Best.TryRestoreBest(network, out var bestEpoch))
            {
                // The last epoch is the model: the average of the weights when the run keeps one.
                bestEpoch = state.CompletedEpochs;
                average?.CopyToNetwork();
            }
            FineTuning.EndEpoch(network);
            return new TrainedNetwork(network, state.History, bestEpoch, monitorIsValidation ? null : monitorLogits);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        finally
        {
            optimizer.Dispose();
            average?.Dispose();
        }
    }

    /// <summary>Runs the epochs <paramref name="state"/> has not done; returns the monitored set's logits of the last one run (null if none ran).</summary>
    private float[]? RunEpochs(
        nn.Module<Tensor, Tensor> network,
        OptimizerHelper optimizer,
        WeightAverage? average,
        RunState state,
        LabeledInputs train,
        LabeledInputs monitor,
        TrainingCheckpoint? checkpoint,
        CancellationToken cancellationToken)
    {
        foreach (var done in state.History) observer.OnEpoch(done);
        var trainingEpoch = new TrainingEpoch(settings, train, observer);
        Action? afterStep = average is null ? null : average.Update;
        float[]? monitorLogits = null;
        for (var epoch = state.CompletedEpochs + 1; epoch <= settings.Epochs && !state.Best.Stopped; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var learningRate = LearningRate(epoch);
            fineTuning.SetLearningRate(optimizer, network, learningRate);
            fineTuning.BeginEpoch(network, epoch);
            var (trainLoss, trainAccuracy) = trainingEpoch.Run(network, optimizer, epoch, afterStep, cancellationToken);
            FineTuning.EndEpoch(network);
            double? monitorLoss, monitorAccuracy;
            // The averaged weights are what the run keeps: they are what the monitored set scores.
            using (average?.Swap())
            {
                (monitorLoss, monitorAccuracy, monitorLogits) = Evaluate(network, monitor, cancellationToken);
                state.Best.Update(epoch, monitorLoss, network);
            }
            var metrics = new EpochMetrics(epoch, trainLoss, trainAccuracy, monitorLoss, monitorAccuracy, learningRate, clock.Elapsed.TotalSeconds);
            state.History.Add(metrics);
            // Saved before the observer hears of the epoch: an epoch reported is an epoch that survives a crash.
            checkpoint?.Write(state.Capture(network, optimizer, average));
            observer.OnEpoch(metrics);
        }
        return monitorLogits;
    }

    /// <summary>The monitored evaluation: the set's loss, accuracy and logits with the network in eval mode; nulls without a set.</summary>
    private (double? Loss, double? Accuracy, float[]? Logits) Evaluate(
        nn.Module<Tensor, Tensor> network, LabeledInputs monitor, CancellationToken cancellationToken)
    {
        if (monitor.Count == 0) return (null, null, null);
        network.eval();
        var logits = monitor.Inputs.Logits(network, cancellationToken);
        var (loss, accuracy) = LossAndAccuracy(logits, monitor.Labels, settings.Threshold);
        return (loss, accuracy, logits);
    }

    /// <summary>
    /// The rate of epoch <paramref name="epoch"/> (1-based): constant, or CosineAnnealingLR's closed form with
    /// T_max = epochs and a minimum of 0, set directly so a resumed run needs no scheduler state.
    /// </summary>
    internal double LearningRate(int epoch) => settings.CosineSchedule
        ? settings.LearningRate * (1 + Math.Cos(Math.PI * (epoch - 1) / settings.Epochs)) / 2
        : settings.LearningRate;

    /// <summary>Mean binary cross-entropy (unweighted, as Keras' val_loss) and accuracy at the threshold.</summary>
    internal static (double Loss, double Accuracy) LossAndAccuracy(IReadOnlyList<float> logits, IReadOnlyList<int> labels, double threshold)
    {
        double loss = 0;
        var correct = 0;
        var logitThreshold = LogitThreshold(threshold);
        for (var i = 0; i < logits.Count; i++)
        {
            double z = logits[i];
            // log(1 + e^z) - y z, in the form that neither overflows nor loses small terms.
            loss += Math.Max(z, 0) - z * labels[i] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            if ((z > logitThreshold ? 1 : 0) == labels[i]) correct++;
        }
        return (loss / logits.Count, (double)correct / logits.Count);
    }

    /// <summary>The logit above which an image is called Positive: the threshold's log-odds, so no sigmoid per image.</summary>
    internal static double LogitThreshold(double threshold) => Math.Log(threshold / (1 - threshold));

    private (nn.Module<Tensor, Tensor> Network, OptimizerHelper Optimizer, WeightAverage? Average) CreateRun()
    {
        torch.manual_seed(settings.Seed);
        var network = createNetwork();
        try
        {
            var optimizer = fineTuning.CreateOptimizer(network);
            return (network, optimizer, settings.EmaDecay > 0 ? new WeightAverage(network, settings.EmaDecay) : null);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static void DisposeRun(nn.Module<Tensor, Tensor> network, OptimizerHelper optimizer, WeightAverage? average)
    {
        average?.Dispose();
        optimizer.Dispose();
        network.Dispose();
    }

    /// <summary>The names and shapes of the network's parameters and buffers, hashed.</summary>
    private static string Architecture(nn.Module<Tensor, Tensor> network)
    {
        using var scope = torch.NewDisposeScope();
        var layers = string.Join(";", network.state_dict().Select(entry => $"{entry.Key}:{string.Join("x", entry.Value.shape)}"));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(layers)))[..16];
    }
}
