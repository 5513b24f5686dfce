using System.Diagnostics;
using EmotionApi.Learning.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// The epochs of a run: Adam (AdamW with weight decay) on binary cross-entropy with logits, optional class
/// weights and cosine learning rate, augmentation on training batches only, a monitored set after each epoch,
/// early stopping and the best epoch's weights, and a checkpoint per epoch to resume from.
/// </summary>
/// <remarks>
/// Each epoch: <see cref="TrainingEpoch"/> trains, <see cref="Evaluate"/> scores the monitored set,
/// <see cref="BestEpochTracker"/> weighs the result, and the checkpoint saves the <see cref="RunState"/>.
/// </remarks>
internal sealed class TrainingLoop
{
    // Keras' Adam epsilon (the article's optimizer); PyTorch's default is 1e-8.
    private const double AdamEpsilon = 1e-7;

    // Batches read ahead of the one training: one keeps a step from waiting on a read of the page cache; the second
    // absorbs a slower read from the disk.
    private const int ReadAhead = 2;

    private readonly TrainingSettings settings;
    private readonly Func<nn.Module<Tensor, Tensor>> createNetwork;
    private readonly ITrainingObserver observer;

    public TrainingLoop(TrainingSettings settings, Func<nn.Module<Tensor, Tensor>> createNetwork, ITrainingObserver observer)
    {
        this.settings = settings;
        this.createNetwork = createNetwork;
        this.observer = observer;
    }

    /// <param name="monitor">
    /// Evaluated after every epoch. With <paramref name="monitorIsValidation"/> it is a validation part that picks
    /// the best epoch and stops early; otherwise it is the test set, reported only (the article's way), and the last
    /// epoch is kept.
    /// </param>
    public TrainedNetwork Train(
        LabeledImages train,
        LabeledImages monitor,
        bool monitorIsValidation,
        TrainingCheckpoint? checkpoint,
        string fingerprint,
        CancellationToken cancellationToken)
    {
        if (train.Count == 0) throw new ArgumentException("No training images.", nameof(train));
        var (network, optimizer) = CreateNetworkAndOptimizer();
        try
        {
            // The checkpoint must also match the network's layers: code of another version resumes nothing.
            var state = new RunState($"{fingerprint}/{Architecture(network)}", new BestEpochTracker(monitorIsValidation, settings.EarlyStoppingPatience));
            if (checkpoint?.TryRead(state.Fingerprint) is { } saved && !state.TryRestore(saved, network, optimizer))
            {
                // Half-restored state is useless: start afresh from the same seeded initialisation.
                optimizer.Dispose();
                network.Dispose();
                (network, optimizer) = CreateNetworkAndOptimizer();
            }
            var monitorLogits = RunEpochs(network, optimizer, state, train, monitor, checkpoint, cancellationToken);
            var bestEpoch = state.Best.KeepBest(network, state.CompletedEpochs);
            network.eval();
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
        }
    }

    /// <summary>Runs the epochs <paramref name="state"/> has not done; returns the monitored set's logits of the last one run (null if none ran).</summary>
    private float[]? RunEpochs(
        nn.Module<Tensor, Tensor> network,
        OptimizerHelper optimizer,
        RunState state,
        LabeledImages train,
        LabeledImages monitor,
        TrainingCheckpoint? checkpoint,
        CancellationToken cancellationToken)
    {
        foreach (var done in state.History) observer.OnEpoch(done);
        // One reader for training and monitoring: its buffers hold a few batches, its thread reads the next while a step runs.
        using var reader = new BatchReader(train.Images.Size, Math.Min(settings.BatchSize, Math.Max(train.Count, monitor.Count)), ReadAhead);
        using var trainingEpoch = new TrainingEpoch(settings, train, reader, observer);
        float[]? monitorLogits = null;
        for (var epoch = state.CompletedEpochs + 1; epoch <= settings.Epochs && !state.Best.Stopped; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var learningRate = LearningRate(epoch);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            var (trainLoss, trainAccuracy) = trainingEpoch.Run(network, optimizer, epoch, cancellationToken);
            (var monitorLoss, var monitorAccuracy, monitorLogits) = Evaluate(network, monitor, reader, cancellationToken);
            state.Best.Update(epoch, monitorLoss, network);
            var metrics = new EpochMetrics(epoch, trainLoss, trainAccuracy, monitorLoss, monitorAccuracy, learningRate, clock.Elapsed.TotalSeconds);
            state.History.Add(metrics);
            // Saved before the observer hears of the epoch: an epoch reported is an epoch that survives a crash.
            checkpoint?.Write(state.Capture(network, optimizer));
            observer.OnEpoch(metrics);
        }
        return monitorLogits;
    }

    /// <summary>The monitored evaluation: the set's loss, accuracy and logits with the network in eval mode; nulls without a set.</summary>
    private (double? Loss, double? Accuracy, float[]? Logits) Evaluate(
        nn.Module<Tensor, Tensor> network, LabeledImages monitor, BatchReader reader, CancellationToken cancellationToken)
    {
        if (monitor.Count == 0) return (null, null, null);
        network.eval();
        var logits = NetworkInference.Logits(network, monitor.Images, reader, cancellationToken);
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

    private (nn.Module<Tensor, Tensor> Network, OptimizerHelper Optimizer) CreateNetworkAndOptimizer()
    {
        torch.manual_seed(settings.Seed);
        var network = createNetwork();
        try
        {
            return (network, CreateOptimizer(network));
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private OptimizerHelper CreateOptimizer(nn.Module<Tensor, Tensor> network) => settings.WeightDecay > 0
        ? optim.AdamW(network.parameters(), settings.LearningRate, eps: AdamEpsilon, weight_decay: settings.WeightDecay)
        : optim.Adam(network.parameters(), settings.LearningRate, eps: AdamEpsilon);

    /// <summary>The names and shapes of the network's parameters and buffers, hashed.</summary>
    private static string Architecture(nn.Module<Tensor, Tensor> network)
    {
        using var scope = torch.NewDisposeScope();
        var layers = string.Join(";", network.state_dict().Select(entry => $"{entry.Key}:{string.Join("x", entry.Value.shape)}"));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(layers)))[..16];
    }
}
