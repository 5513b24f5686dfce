using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// One pass over the training inputs: shuffled by the epoch's own seeds, in batches (the last may be short, as
/// Keras'), each batch one optimizer step on binary cross-entropy with logits, class-weighted, label-smoothed and
/// mixed up when the settings ask. The inputs make (and augment) the batches; the caller sets the training mode.
/// </summary>
internal sealed class TrainingEpoch
{
    private readonly TrainingSettings settings;
    private readonly LabeledInputs train;
    private readonly ITrainingObserver observer;
    private readonly float[]? classWeights;
    private readonly double logitThreshold;
    private readonly int batchesPerEpoch;
    private readonly int[] order;
    private readonly float[] batchTargets;
    private readonly float[] batchWeights;

    public TrainingEpoch(TrainingSettings settings, LabeledInputs train, ITrainingObserver observer)
    {
        this.settings = settings;
        this.train = train;
        this.observer = observer;
        classWeights = settings.ClassWeighting ? ClassWeights.Balanced(train.Labels) : null;
        logitThreshold = TrainingLoop.LogitThreshold(settings.Threshold);
        var batchSize = train.Inputs.BatchSize;
        batchesPerEpoch = (train.Count + batchSize - 1) / batchSize;
        order = new int[train.Count];
        batchTargets = new float[batchSize];
        batchWeights = new float[batchSize];
    }

    /// <summary>
    /// Trains epoch <paramref name="epoch"/> (1-based); returns its loss and accuracy over all its items (Keras' loss and
    /// acc). <paramref name="afterStep"/> runs after every optimizer step (the weight average).
    /// </summary>
    public (double Loss, double Accuracy) Run(
        nn.Module<Tensor, Tensor> network, OptimizerHelper optimizer, int epoch, Action? afterStep, CancellationToken cancellationToken)
    {
        // Per-epoch seeds: a resumed run draws the same shuffles, augmentations and dropout masks.
        torch.manual_seed(RunSeeds.Torch(settings.Seed, epoch));
        var random = new Random(RunSeeds.Shuffle(settings.Seed, epoch));
        for (var i = 0; i < order.Length; i++) order[i] = i;
        random.Shuffle(order);

        double lossSum = 0;
        long correct = 0;
        var batchSize = train.Inputs.BatchSize;
        using var batches = train.Inputs.TrainingBatches(order, random).GetEnumerator();
        for (var batch = 0; batch < batchesPerEpoch; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = batch * batchSize;
            var indices = order.AsSpan(start, Math.Min(batchSize, train.Count - start));
            float loss;
            int batchCorrect;
            using (torch.NewDisposeScope())
            {
                // The batch is made here, inside the step's scope, which disposes it with the step's other tensors.
                if (!batches.MoveNext()) throw new InvalidOperationException($"The inputs gave {batch} batches for {train.Count} items.");
                (loss, batchCorrect) = Step(network, optimizer, batches.Current, indices, random);
            }
            afterStep?.Invoke();
            lossSum += (double)loss * indices.Length;
            correct += batchCorrect;
            observer.OnBatch(new BatchProgress(epoch, settings.Epochs, batch + 1, batchesPerEpoch, loss, indices.Length));
        }
        return (lossSum / train.Count, (double)correct / train.Count);
    }

    /// <summary>One optimizer step on <paramref name="inputs"/>, the items at <paramref name="indices"/>: the batch's mean loss and how many it called right.</summary>
    private (float Loss, int Correct) Step(
        nn.Module<Tensor, Tensor> network, OptimizerHelper optimizer, Tensor inputs, ReadOnlySpan<int> indices, Random random)
    {
        var targets = batchTargets.AsSpan(0, indices.Length);
        var weights = batchWeights.AsSpan(0, indices.Length);
        for (var i = 0; i < indices.Length; i++)
        {
            var label = train.Labels[indices[i]];
            targets[i] = label;
            weights[i] = classWeights?[label] ?? 1f;
        }

        var targetTensor = torch.tensor(targets.ToArray());
        var weightTensor = classWeights is null ? null : torch.tensor(weights.ToArray());
        if (settings.Mixup > 0) (inputs, targetTensor, weightTensor) = Mixup.Blend(inputs, targetTensor, weightTensor, settings.Mixup, random);
        var logits = network.forward(inputs).reshape(-1);
        var loss = TrainingLoss.Compute(logits, targetTensor, weightTensor, settings.LabelSmoothing);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        // Accuracy against each item's own label, mixed or not.
        return (loss.item<float>(), CountCorrect(logits.detach().data<float>().ToArray(), targets, logitThreshold));
    }

    private static int CountCorrect(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, double logitThreshold)
    {
        var correct = 0;
        for (var i = 0; i < logits.Length; i++)
            if ((logits[i] > logitThreshold ? 1f : 0f) == targets[i]) correct++;
        return correct;
    }
}
