using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// One pass over the training images: shuffled by the epoch's own seeds, in batches (the last may be short, as
/// Keras'), each batch one optimizer step on binary cross-entropy with logits, class-weighted and augmented when
/// the settings ask. Batches come from the run's <see cref="BatchReader"/>, which reads the next ones while a step runs;
/// the augmentation buffer is reused epoch after epoch.
/// </summary>
internal sealed class TrainingEpoch : IDisposable
{
    private readonly TrainingSettings settings;
    private readonly LabeledImages train;
    private readonly BatchReader reader;
    private readonly ITrainingObserver observer;
    private readonly float[]? classWeights;
    private readonly double logitThreshold;
    private readonly int batchSize;
    private readonly int batchesPerEpoch;
    private readonly int[] order;
    private readonly float[] batchTargets;
    private readonly float[] batchWeights;
    // Augmented batches are warped straight from the images' bytes (one pass instead of preparing then warping,
    // docs/performance.md); plain ones go through the same preparation as prediction.
    private readonly AugmentedInput? augmentedInput;

    /// <param name="reader">Batches of <see cref="TrainingSettings.BatchSize"/> (fewer when the part is smaller).</param>
    public TrainingEpoch(TrainingSettings settings, LabeledImages train, BatchReader reader, ITrainingObserver observer)
    {
        this.settings = settings;
        this.train = train;
        this.reader = reader;
        this.observer = observer;
        classWeights = settings.ClassWeighting ? ClassWeights.Balanced(train.Labels) : null;
        logitThreshold = TrainingLoop.LogitThreshold(settings.Threshold);
        batchSize = Math.Min(reader.Capacity, train.Count);
        batchesPerEpoch = (train.Count + batchSize - 1) / batchSize;
        order = new int[train.Count];
        batchTargets = new float[batchSize];
        batchWeights = new float[batchSize];
        if (!settings.Augmentation.IsIdentity)
            augmentedInput = new AugmentedInput(new BatchAugmenter(settings.Augmentation), train.Images.Size, batchSize);
    }

    /// <summary>Trains epoch <paramref name="epoch"/> (1-based); returns its loss and accuracy over all its images (Keras' loss and acc).</summary>
    public (double Loss, double Accuracy) Run(
        nn.Module<Tensor, Tensor> network, OptimizerHelper optimizer, int epoch, CancellationToken cancellationToken)
    {
        // Per-epoch seeds: a resumed run draws the same shuffles, augmentations and dropout masks.
        torch.manual_seed(RunSeeds.Torch(settings.Seed, epoch));
        var random = new Random(RunSeeds.Shuffle(settings.Seed, epoch));
        for (var i = 0; i < order.Length; i++) order[i] = i;
        random.Shuffle(order);

        network.train();
        double lossSum = 0;
        long correct = 0;
        var batch = 0;
        foreach (var pixels in reader.Read(train.Images, order, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indices = order.AsSpan(batch * batchSize, pixels.Count);
            var (loss, batchCorrect) = Step(network, optimizer, pixels, indices, random);
            lossSum += (double)loss * indices.Length;
            correct += batchCorrect;
            observer.OnBatch(new BatchProgress(epoch, settings.Epochs, ++batch, batchesPerEpoch, loss, indices.Length));
        }
        return (lossSum / train.Count, (double)correct / train.Count);
    }

    /// <summary>One optimizer step on <paramref name="pixels"/>, the images at <paramref name="indices"/>: the batch's mean loss and how many it called right.</summary>
    private (float Loss, int Correct) Step(
        nn.Module<Tensor, Tensor> network, OptimizerHelper optimizer, BatchPixels pixels, ReadOnlySpan<int> indices, Random random)
    {
        var targets = batchTargets.AsSpan(0, indices.Length);
        var weights = batchWeights.AsSpan(0, indices.Length);
        for (var i = 0; i < indices.Length; i++)
        {
            var label = train.Labels[indices[i]];
            targets[i] = label;
            weights[i] = classWeights?[label] ?? 1f;
        }

        using var scope = torch.NewDisposeScope();
        var images = augmentedInput?.Batch(pixels, random) ?? NetworkInput.Batch(pixels);
        var logits = network.forward(images).reshape(-1);
        var loss = nn.functional.binary_cross_entropy_with_logits(
            logits, torch.tensor(targets.ToArray()), classWeights is null ? null : torch.tensor(weights.ToArray()));
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return (loss.item<float>(), CountCorrect(logits.detach().data<float>().ToArray(), targets, logitThreshold));
    }

    private static int CountCorrect(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, double logitThreshold)
    {
        var correct = 0;
        for (var i = 0; i < logits.Length; i++)
            if ((logits[i] > logitThreshold ? 1f : 0f) == targets[i]) correct++;
        return correct;
    }

    public void Dispose() => augmentedInput?.Dispose();
}
