using System.Diagnostics;
using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>Prepared images with their labels (0 = Negative, 1 = Positive), index-aligned.</summary>
internal sealed record LabeledImages(IReadOnlyList<PreparedImage> Images, IReadOnlyList<int> Labels)
{
    public int Count => Images.Count;
}

/// <summary>A trained network (in eval mode, owned by the caller) and how it got there.</summary>
/// <param name="FinalMonitorLogits">
/// The monitored set's logits from the returned network, when the monitor is not a validation part (so the last
/// epoch is kept) and this call ran that epoch; null otherwise. Lets the caller skip a second pass over the test set.
/// </param>
internal sealed record TrainedNetwork(
    nn.Module<Tensor, Tensor> Network, IReadOnlyList<EpochMetrics> History, int BestEpoch, float[]? FinalMonitorLogits = null);

/// <summary>
/// The epochs of a run: Adam (AdamW with weight decay) on binary cross-entropy with logits, optional class
/// weights and cosine learning rate, augmentation on training batches only, a monitored set after each epoch,
/// early stopping and the best epoch's weights, and a checkpoint per epoch to resume from.
/// </summary>
internal sealed class TrainingLoop
{
    // Keras' Adam epsilon (the seed's optimizer); PyTorch's default is 1e-8.
    private const double AdamEpsilon = 1e-7;

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
    /// the best epoch and stops early; otherwise it is the test set, reported only (the seed's way), and the last
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
            var runFingerprint = $"{fingerprint}/{Architecture(network)}";
            var saved = checkpoint?.TryRead(runFingerprint);
            if (saved is not null && !TryRestore(network, optimizer, saved))
            {
                // Half-restored state is useless: start afresh from the same seeded initialisation.
                optimizer.Dispose();
                network.Dispose();
                (network, optimizer) = CreateNetworkAndOptimizer();
                saved = null;
            }
            return Train(network, optimizer, saved, train, monitor, monitorIsValidation, checkpoint, runFingerprint, cancellationToken);
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

    private static bool TryRestore(nn.Module<Tensor, Tensor> network, OptimizerHelper optimizer, TrainingCheckpoint.Contents saved)
    {
        try
        {
            TrainedModel.LoadWeights(network, saved.Weights);
            using var reader = new BinaryReader(new MemoryStream(saved.Optimizer, writable: false));
            optimizer.load_state_dict(reader);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The names and shapes of the network's parameters and buffers, hashed.</summary>
    private static string Architecture(nn.Module<Tensor, Tensor> network)
    {
        using var scope = torch.NewDisposeScope();
        var layers = string.Join(";", network.state_dict().Select(entry => $"{entry.Key}:{string.Join("x", entry.Value.shape)}"));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(layers)))[..16];
    }

    private TrainedNetwork Train(
        nn.Module<Tensor, Tensor> network,
        OptimizerHelper optimizer,
        TrainingCheckpoint.Contents? saved,
        LabeledImages train,
        LabeledImages monitor,
        bool monitorIsValidation,
        TrainingCheckpoint? checkpoint,
        string fingerprint,
        CancellationToken cancellationToken)
    {
        var history = new List<EpochMetrics>();
        var bestEpoch = 0;
        var bestLoss = double.PositiveInfinity;
        byte[]? bestWeights = null;
        var stopped = false;
        float[]? monitorLogits = null;

        if (saved is not null)
        {
            history.AddRange(saved.State.History);
            bestEpoch = saved.State.BestEpoch;
            bestLoss = saved.State.BestValidationLoss;
            bestWeights = saved.BestWeights;
            stopped = saved.State.Stopped;
            foreach (var epoch in history) observer.OnEpoch(epoch);
        }

        var augmenter = settings.Augmentation.IsIdentity ? null : new BatchAugmenter(settings.Augmentation);
        var classWeights = settings.ClassWeighting ? ClassWeights.Balanced(train.Labels) : null;
        var logitThreshold = LogitThreshold(settings.Threshold);
        var batchSize = Math.Min(settings.BatchSize, train.Count);
        var batchesPerEpoch = (train.Count + batchSize - 1) / batchSize; // the last batch may be short, as Keras'
        var order = new int[train.Count];
        var batchTargets = new float[batchSize];
        var batchWeights = new float[batchSize];
        // Augmented batches are warped straight from the images' bytes (one pass instead of preparing then warping,
        // docs/performance.md); plain ones go through the same preparation as prediction.
        using var input = augmenter is null ? new NetworkInput(train.Images[0].Size, batchSize) : null;
        using var augmentedInput = augmenter is null ? null : new AugmentedInput(augmenter, train.Images[0].Size, batchSize);

        for (var epoch = history.Count + 1; epoch <= settings.Epochs && !stopped; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var learningRate = LearningRate(epoch);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            // Per-epoch seeds: a resumed run draws the same shuffles, augmentations and dropout masks.
            torch.manual_seed(RunSeeds.Torch(settings.Seed, epoch));
            var random = new Random(RunSeeds.Shuffle(settings.Seed, epoch));
            for (var i = 0; i < order.Length; i++) order[i] = i;
            random.Shuffle(order);

            network.train();
            double lossSum = 0;
            long correct = 0;
            for (var batch = 0; batch < batchesPerEpoch; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = batch * batchSize;
                var indices = order.AsSpan(start, Math.Min(batchSize, train.Count - start));
                for (var i = 0; i < indices.Length; i++)
                {
                    var label = train.Labels[indices[i]];
                    batchTargets[i] = label;
                    batchWeights[i] = classWeights?[label] ?? 1f;
                }

                float batchLoss;
                using (var scope = torch.NewDisposeScope())
                {
                    var images = augmentedInput?.Batch(train.Images, indices, random) ?? input!.Batch(train.Images, indices);
                    var logits = network.forward(images).reshape(-1);
                    var targets = torch.tensor(batchTargets.AsSpan(0, indices.Length).ToArray());
                    var weights = classWeights is null ? null : torch.tensor(batchWeights.AsSpan(0, indices.Length).ToArray());
                    var loss = nn.functional.binary_cross_entropy_with_logits(logits, targets, weights);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    batchLoss = loss.item<float>();
                    correct += CountCorrect(logits.detach().data<float>().ToArray(), batchTargets.AsSpan(0, indices.Length), logitThreshold);
                }
                lossSum += (double)batchLoss * indices.Length;
                observer.OnBatch(new BatchProgress(epoch, settings.Epochs, batch + 1, batchesPerEpoch, batchLoss));
            }

            double? monitorLoss = null, monitorAccuracy = null;
            if (monitor.Count > 0)
            {
                network.eval();
                monitorLogits = NetworkInference.Logits(network, monitor.Images, settings.BatchSize, cancellationToken);
                (monitorLoss, monitorAccuracy) = LossAndAccuracy(monitorLogits, monitor.Labels, settings.Threshold);
            }

            if (!monitorIsValidation)
            {
                bestEpoch = epoch;
            }
            else if (monitorLoss < bestLoss)
            {
                bestEpoch = epoch;
                bestLoss = monitorLoss.Value;
                bestWeights = TrainedModel.SerializeWeights(network);
            }
            else if (settings.EarlyStoppingPatience > 0 && epoch - bestEpoch >= settings.EarlyStoppingPatience)
            {
                stopped = true;
            }

            var metrics = new EpochMetrics(
                epoch, lossSum / train.Count, (double)correct / train.Count, monitorLoss, monitorAccuracy, learningRate, clock.Elapsed.TotalSeconds);
            history.Add(metrics);
            // Saved before the observer hears of the epoch: an epoch reported is an epoch that survives a crash.
            checkpoint?.Write(new TrainingCheckpoint.Contents(
                new CheckpointState
                {
                    Fingerprint = fingerprint,
                    CompletedEpochs = epoch,
                    Stopped = stopped,
                    History = history.ToArray(),
                    BestEpoch = bestEpoch,
                    BestValidationLoss = bestLoss,
                },
                TrainedModel.SerializeWeights(network),
                SerializeOptimizer(optimizer),
                bestWeights));
            observer.OnEpoch(metrics);
        }

        if (monitorIsValidation && bestWeights is not null)
            TrainedModel.LoadWeights(network, bestWeights);
        else
            bestEpoch = history.Count;
        network.eval();
        return new TrainedNetwork(network, history, bestEpoch, monitorIsValidation ? null : monitorLogits);
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
    private static double LogitThreshold(double threshold) => Math.Log(threshold / (1 - threshold));

    private static int CountCorrect(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, double logitThreshold)
    {
        var correct = 0;
        for (var i = 0; i < logits.Length; i++)
            if ((logits[i] > logitThreshold ? 1f : 0f) == targets[i]) correct++;
        return correct;
    }

    private OptimizerHelper CreateOptimizer(nn.Module<Tensor, Tensor> network) => settings.WeightDecay > 0
        ? optim.AdamW(network.parameters(), settings.LearningRate, eps: AdamEpsilon, weight_decay: settings.WeightDecay)
        : optim.Adam(network.parameters(), settings.LearningRate, eps: AdamEpsilon);

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
