using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Training;

[Collection(TorchTrainingCollection.Name)]
public sealed class FineTuningTests
{
    private static readonly TrainingSettings Settings = new()
    {
        Preset = "test",
        Network = "tiny-pretrained",
        ImageHeight = SyntheticPixels.Size.Height,
        ImageWidth = SyntheticPixels.Size.Width,
        BatchSize = 16,
        Epochs = 4,
        LearningRate = 0.05,
        Seed = 5,
        ValidationFraction = 0.2,
        WarmupEpochs = 2,
        BackboneLearningRateFactor = 0.1,
    };

    private readonly LabeledImages train = SyntheticPixels.Make(96, seed: 1);
    private readonly LabeledImages validation = SyntheticPixels.Make(40, seed: 2);

    /// <summary>The network's state after each epoch, by parameter or buffer name.</summary>
    private List<Dictionary<string, Tensor>> StatesAfterEachEpoch(TrainingSettings settings)
    {
        var states = new List<Dictionary<string, Tensor>>();
        TinyPretrainedNetwork? network = null;
        var observer = new RecordingObserver
        {
            AfterEpoch = _ => states.Add(network!.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.detach().clone())),
        };
        var loop = new TrainingLoop(settings, () => network = new TinyPretrainedNetwork(), observer);
        using (loop.Train(train, validation, monitorIsValidation: true, checkpoint: null, fingerprint: "run", CancellationToken.None).Network)
        {
        }
        torch.manual_seed(settings.Seed);
        using var initial = new TinyPretrainedNetwork();
        states.Insert(0, initial.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.detach().clone()));
        return states;
    }

    private static bool Same(Dictionary<string, Tensor> before, Dictionary<string, Tensor> after, Func<string, bool> names) =>
        before.Where(entry => names(entry.Key)).All(entry => entry.Value.eq(after[entry.Key]).all().item<bool>());

    [Fact]
    public void During_the_warm_up_only_the_head_learns_then_the_backbone_does_too()
    {
        var states = StatesAfterEachEpoch(Settings);
        static bool Backbone(string name) => name.StartsWith("backbone.", StringComparison.Ordinal);
        static bool Head(string name) => name.StartsWith("head.", StringComparison.Ordinal);

        // Epochs 1 and 2: the backbone's weights and batch-norm statistics are the pretrained ones, bit for bit.
        Assert.True(Same(states[0], states[2], Backbone));
        Assert.False(Same(states[0], states[1], Head));
        Assert.False(Same(states[1], states[2], Head));
        // Epoch 3: every part moves.
        Assert.False(Same(states[2], states[3], name => name == "backbone.0.weight"));
        Assert.False(Same(states[2], states[3], name => name == "backbone.1.running_mean"));
    }

    [Fact]
    public void With_frozen_batch_norm_the_backbone_learns_but_keeps_its_running_statistics()
    {
        var states = StatesAfterEachEpoch(Settings with { FreezeBatchNorm = true });

        Assert.True(Same(states[0], states[4], name => name.Contains("running_", StringComparison.Ordinal)));
        Assert.False(Same(states[0], states[4], name => name == "backbone.1.weight"));
        Assert.False(Same(states[0], states[4], name => name == "backbone.0.weight"));
    }

    [Fact]
    public void The_backbone_learns_at_its_share_of_the_rate_and_the_head_at_the_full_rate()
    {
        var settings = Settings with { CosineSchedule = true };
        var fineTuning = new FineTuning(settings);
        using var network = new TinyPretrainedNetwork();
        using var optimizer = fineTuning.CreateOptimizer(network);
        var loop = new TrainingLoop(settings, () => new TinyPretrainedNetwork(), new RecordingObserver());

        fineTuning.SetLearningRate(optimizer, network, loop.LearningRate(3));

        var groups = optimizer.ParamGroups.ToArray();
        Assert.Equal(2, groups.Length);
        Assert.Equal(0.05 * 0.1 * (1 + Math.Cos(Math.PI * 2 / 4)) / 2, groups[0].LearningRate, 12);
        Assert.Equal(0.05 * (1 + Math.Cos(Math.PI * 2 / 4)) / 2, groups[1].LearningRate, 12);
        Assert.Equal(network.Backbone.parameters().Count(), ((TorchSharp.Modules.ParamGroup)groups[0]).Parameters.Count());
        Assert.Equal(2, ((TorchSharp.Modules.ParamGroup)groups[1]).Parameters.Count());
    }

    [Fact]
    public void A_network_trained_from_scratch_has_one_group_at_the_full_rate()
    {
        var fineTuning = new FineTuning(Settings with { WarmupEpochs = 0, BackboneLearningRateFactor = 1 });
        using var network = new TinyNetwork();
        using var optimizer = fineTuning.CreateOptimizer(network);

        fineTuning.SetLearningRate(optimizer, network, 0.02);

        Assert.Equal(0.02, Assert.Single(optimizer.ParamGroups).LearningRate);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_run_cancelled_in_or_after_its_warm_up_resumes_from_its_checkpoint_to_the_uninterrupted_result(int cancelledAfterEpoch)
    {
        var directory = Directory.CreateTempSubdirectory("fine-tuning-").FullName;
        try
        {
            TrainedNetwork Run(CancellationToken cancellation = default, ITrainingObserver? observer = null) =>
                new TrainingLoop(Settings, () => new TinyPretrainedNetwork(), observer ?? new RecordingObserver())
                    .Train(train, validation, monitorIsValidation: true, new TrainingCheckpoint(directory), "run", cancellation);

            using var cancellation = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() =>
                Run(cancellation.Token, new RecordingObserver { AfterEpoch = epoch => { if (epoch.Epoch == cancelledAfterEpoch) cancellation.Cancel(); } }));
            var resumedRun = new RecordingObserver();
            var resumed = Run(observer: resumedRun);
            // Resumed, not started again (which would end in the same weights): the finished epochs are replayed from
            // the checkpoint, and only the rest are trained.
            Assert.Equal(Settings.Epochs - cancelledAfterEpoch, resumedRun.Batches.Select(batch => batch.Epoch).Distinct().Count());
            Directory.Delete(directory, recursive: true);
            Directory.CreateDirectory(directory);
            var uninterrupted = Run();
            using (resumed.Network)
            using (uninterrupted.Network)
            {
                Assert.Equal(TrainedModel.SerializeWeights(uninterrupted.Network), TrainedModel.SerializeWeights(resumed.Network));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
