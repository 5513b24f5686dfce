using EmotionApi.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// The frozen-backbone variant (<see cref="TrainingSettings.FreezeBackbone"/>): a pretrained network's backbone
/// computes the features of every image and its mirror image once (<see cref="BackboneFeatures"/>), then the
/// <see cref="TrainingLoop"/> trains a standardised linear head on them (epochs of milliseconds: the flip is a choice
/// between two stored rows), which is folded into the network's head. Its checkpoint holds the head alone; a resumed run
/// computes the features again (one pass) and goes on from the head's last epoch.
/// </summary>
internal sealed class FrozenBackboneTraining(TrainingSettings settings, Func<nn.Module<Tensor, Tensor>> createNetwork, ITrainingObserver observer)
{
    public TrainedNetwork Train(
        LabeledImages train,
        LabeledImages monitor,
        bool monitorIsValidation,
        TrainingCheckpoint? checkpoint,
        string fingerprint,
        CancellationToken cancellationToken)
    {
        var network = createNetwork();
        try
        {
            if (network is not IFineTunable { Head: Linear head } tunable)
                throw new ArgumentException($"Network '{settings.Network}' has no pretrained backbone to freeze.", nameof(settings));
            network.eval();
            using var trainInputs = new FeatureInputs(
                BackboneFeatures.Compute(tunable.Backbone, train.Images, settings.BatchSize, cancellationToken),
                settings.BatchSize, mirrorAugmented: settings.Augmentation.HorizontalFlip, mirrorAveraged: settings.TestTimeFlip);
            using var monitorInputs = new FeatureInputs(
                BackboneFeatures.Compute(tunable.Backbone, monitor.Images, settings.BatchSize, cancellationToken),
                settings.BatchSize, mirrorAugmented: false, mirrorAveraged: settings.TestTimeFlip);

            var loop = new TrainingLoop(settings, () => new StandardisedHead(trainInputs.Features), observer);
            var trained = loop.Train(new LabeledInputs(trainInputs, train.Labels), new LabeledInputs(monitorInputs, monitor.Labels),
                monitorIsValidation, checkpoint, fingerprint, cancellationToken);
            using (trained.Network) ((StandardisedHead)trained.Network).FoldInto(head);
            network.eval();
            // The test set is scored again through the whole network: the model's own predictions, bit for bit.
            return new TrainedNetwork(network, trained.History, trained.BestEpoch);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
