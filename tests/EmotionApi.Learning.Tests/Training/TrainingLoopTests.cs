using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Training;

[Collection(TorchTrainingCollection.Name)]
public sealed class TrainingLoopTests : IDisposable
{
    private static readonly TrainingSettings Settings = new()
    {
        Preset = "test",
        Network = "tiny-test",
        ImageHeight = SyntheticPixels.Size.Height,
        ImageWidth = SyntheticPixels.Size.Width,
        BatchSize = 16,
        Epochs = 4,
        LearningRate = 0.05,
        Seed = 5,
        ValidationFraction = 0.2,
    };

    private readonly LabeledImages train = SyntheticPixels.Make(96, seed: 1);
    private readonly LabeledImages validation = SyntheticPixels.Make(40, seed: 2);
    private readonly string directory = Directory.CreateTempSubdirectory("training-loop-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static TrainedNetwork Train(
        LabeledImages train, LabeledImages monitor, TrainingSettings? settings = null, ITrainingObserver? observer = null,
        TrainingCheckpoint? checkpoint = null, string fingerprint = "run", bool monitorIsValidation = true, CancellationToken cancellation = default,
        int channels = 8)
    {
        var loop = new TrainingLoop(settings ?? Settings, () => new TinyNetwork(channels), observer ?? new RecordingObserver());
        return loop.Train(train, monitor, monitorIsValidation, checkpoint, fingerprint, cancellation);
    }

    [Fact]
    public void Training_lowers_the_validation_loss_and_separates_the_classes()
    {
        var observer = new RecordingObserver();
        using var trained = Train(train, validation, observer: observer).Network;

        Assert.Equal([1, 2, 3, 4], observer.Epochs.Select(epoch => epoch.Epoch));
        Assert.True(observer.Epochs[^1].TrainLoss < observer.Epochs[0].TrainLoss, "train loss fell");
        Assert.True(observer.Epochs.Min(epoch => epoch.ValidationLoss!.Value) < Math.Log(2) * 0.8, "better than a constant guess");
        Assert.True(observer.Epochs.Max(epoch => epoch.ValidationAccuracy!.Value) >= 0.85);
    }

    [Fact]
    public void Observer_hears_every_batch_of_every_epoch_in_order()
    {
        var observer = new RecordingObserver();
        using var trained = Train(train, validation, observer: observer).Network;

        // 96 images in batches of 16: 6 batches per epoch.
        var expected = Enumerable.Range(1, 4).SelectMany(epoch => Enumerable.Range(1, 6).Select(batch => (epoch, batch)));
        Assert.Equal(expected, observer.Batches.Select(progress => (progress.Epoch, progress.Batch)));
        Assert.All(observer.Batches, progress => Assert.Equal((4, 6), (progress.Epochs, progress.BatchesPerEpoch)));
        Assert.All(observer.Batches, progress => Assert.True(double.IsFinite(progress.Loss) && progress.Loss > 0));
    }

    [Fact]
    public void The_last_batch_of_an_epoch_is_short_and_counted()
    {
        var observer = new RecordingObserver();
        var settings = Settings with { BatchSize = 40, Epochs = 1 };
        using var trained = Train(train, validation, settings, observer).Network;

        // 96 = 40 + 40 + 16, as Keras' steps_per_epoch = ceil(n / batch).
        Assert.Equal(3, observer.Batches.Count);
        Assert.All(observer.Batches, progress => Assert.Equal(3, progress.BatchesPerEpoch));
    }

    [Fact]
    public void Same_seed_and_data_give_identical_history_and_weights()
    {
        var first = Train(train, validation);
        var second = Train(train, validation);
        using (first.Network)
        using (second.Network)
        {
            Assert.Equal(WithoutTimes(first.History), WithoutTimes(second.History));
            Assert.Equal(TrainedModel.SerializeWeights(first.Network), TrainedModel.SerializeWeights(second.Network));
        }
    }

    [Fact]
    public void Another_seed_gives_other_weights()
    {
        var first = Train(train, validation);
        var second = Train(train, validation, Settings with { Seed = 6 });
        using (first.Network)
        using (second.Network)
        {
            Assert.NotEqual(TrainedModel.SerializeWeights(first.Network), TrainedModel.SerializeWeights(second.Network));
        }
    }

    [Fact]
    public void Cancellation_stops_within_one_batch()
    {
        using var cancellation = new CancellationTokenSource();
        var observer = new RecordingObserver
        {
            AfterBatch = progress =>
            {
                if (progress is { Epoch: 2, Batch: 3 }) cancellation.Cancel();
            },
        };

        Assert.ThrowsAny<OperationCanceledException>(() => Train(train, validation, observer: observer, cancellation: cancellation.Token));

        Assert.Equal((2, 3), (observer.Batches[^1].Epoch, observer.Batches[^1].Batch));
        Assert.Single(observer.Epochs);
    }

    [Fact]
    public void A_run_cancelled_after_epoch_two_resumes_to_the_uninterrupted_result()
    {
        var uninterrupted = Train(train, validation);

        var checkpoint = new TrainingCheckpoint(directory);
        using var cancellation = new CancellationTokenSource();
        var interruptedObserver = new RecordingObserver { AfterEpoch = epoch => { if (epoch.Epoch == 2) cancellation.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Train(train, validation, observer: interruptedObserver, checkpoint: checkpoint, cancellation: cancellation.Token));
        Assert.Equal(2, interruptedObserver.Epochs.Count);

        var resumedObserver = new RecordingObserver();
        var resumed = Train(train, validation, observer: resumedObserver, checkpoint: checkpoint);
        using (uninterrupted.Network)
        using (resumed.Network)
        {
            // The restored epochs are reported first, then only epochs 3 and 4 are trained.
            Assert.Equal([1, 2, 3, 4], resumedObserver.Epochs.Select(epoch => epoch.Epoch));
            Assert.All(resumedObserver.Batches, progress => Assert.InRange(progress.Epoch, 3, 4));
            Assert.Equal(interruptedObserver.Epochs, resumedObserver.Epochs.Take(2));
            Assert.Equal(WithoutTimes(uninterrupted.History), WithoutTimes(resumed.History));
            Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
            Assert.Equal(TrainedModel.SerializeWeights(uninterrupted.Network), TrainedModel.SerializeWeights(resumed.Network));
        }
    }

    [Fact]
    public void A_checkpoint_of_another_run_is_ignored()
    {
        var checkpoint = new TrainingCheckpoint(directory);
        using (Train(train, validation, Settings with { Epochs = 2 }, checkpoint: checkpoint, fingerprint: "other run").Network)
        {
        }

        var observer = new RecordingObserver();
        using var trained = Train(train, validation, observer: observer, checkpoint: checkpoint, fingerprint: "this run").Network;

        Assert.Equal(1, observer.Batches[0].Epoch);
        Assert.Equal([1, 2, 3, 4], observer.Epochs.Select(epoch => epoch.Epoch));
    }

    [Fact]
    public void A_checkpoint_of_another_architecture_is_ignored()
    {
        // Same settings and images, but the network's code changed between versions: nothing to resume.
        var checkpoint = new TrainingCheckpoint(directory);
        using (Train(train, validation, Settings with { Epochs = 2 }, checkpoint: checkpoint, channels: 6).Network)
        {
        }

        var observer = new RecordingObserver();
        var fresh = Train(train, validation, observer: observer, checkpoint: checkpoint);
        var reference = Train(train, validation);
        using (fresh.Network)
        using (reference.Network)
        {
            Assert.Equal(1, observer.Batches[0].Epoch);
            Assert.Equal(TrainedModel.SerializeWeights(reference.Network), TrainedModel.SerializeWeights(fresh.Network));
        }
    }

    [Fact]
    public void A_finished_checkpoint_resumes_to_the_same_network_without_training()
    {
        var checkpoint = new TrainingCheckpoint(directory);
        var first = Train(train, validation, checkpoint: checkpoint);
        var observer = new RecordingObserver();
        var again = Train(train, validation, observer: observer, checkpoint: checkpoint);
        using (first.Network)
        using (again.Network)
        {
            Assert.Empty(observer.Batches);
            Assert.Equal(4, observer.Epochs.Count);
            Assert.Equal(first.BestEpoch, again.BestEpoch);
            Assert.Equal(TrainedModel.SerializeWeights(first.Network), TrainedModel.SerializeWeights(again.Network));
        }
    }

    [Fact]
    public void Early_stopping_ends_after_patience_epochs_and_restores_the_best_epoch()
    {
        // Validation labels are the opposite of the training labels: the better the network learns, the worse
        // the validation loss, so the best epoch is early and training stops `patience` epochs later.
        var contrary = SyntheticPixels.Make(40, seed: 2, invertLabels: true);
        var settings = Settings with { Epochs = 20, EarlyStoppingPatience = 2 };

        var result = Train(train, contrary, settings);
        using var network = result.Network;

        Assert.Equal(result.BestEpoch + 2, result.History.Count);
        Assert.True(result.History.Count < 20);
        var best = result.History[result.BestEpoch - 1].ValidationLoss!.Value;
        Assert.Equal(result.History.Min(epoch => epoch.ValidationLoss!.Value), best);
        var logits = NetworkInference.Logits(network, contrary.Images, 16);
        Assert.Equal(best, TrainingLoop.LossAndAccuracy(logits, contrary.Labels, 0.5).Loss, 1e-6);
    }

    [Fact]
    public void Without_a_validation_part_the_last_epoch_is_kept_and_no_early_stop()
    {
        var contrary = SyntheticPixels.Make(40, seed: 2, invertLabels: true);
        var settings = Settings with { Epochs = 5, EarlyStoppingPatience = 0 };

        var result = Train(train, contrary, settings, monitorIsValidation: false);
        using var network = result.Network;

        Assert.Equal(5, result.History.Count);
        Assert.Equal(5, result.BestEpoch);
        var logits = NetworkInference.Logits(network, contrary.Images, 16);
        Assert.Equal(result.History[^1].ValidationLoss!.Value, TrainingLoop.LossAndAccuracy(logits, contrary.Labels, 0.5).Loss, 1e-6);
    }

    [Fact]
    public void Tensors_outside_dispose_scopes_do_not_grow_with_the_number_of_steps()
    {
        // Every step and every evaluation batch runs in a dispose scope: what is left outside scopes (the network,
        // the optimizer's state, the staging buffer) is the same for one epoch as for three.
        long Outstanding(int epochs)
        {
            var statistics = DisposeScopeManager.Statistics.TensorStatistics;
            statistics.Reset();
            var before = statistics.CreatedOutsideScopeCount - statistics.DisposedOutsideScopeCount;
            using (Train(train, validation, Settings with { Epochs = epochs }, checkpoint: new TrainingCheckpoint(directory), fingerprint: $"epochs {epochs}").Network)
            {
            }
            return statistics.CreatedOutsideScopeCount - statistics.DisposedOutsideScopeCount - before;
        }

        Assert.Equal(Outstanding(1), Outstanding(3));
    }

    [Fact]
    public void Cosine_schedule_decays_from_the_rate_to_near_zero()
    {
        var loop = new TrainingLoop(Settings with { Epochs = 10, LearningRate = 0.002, CosineSchedule = true }, () => new TinyNetwork(), new RecordingObserver());
        var constant = new TrainingLoop(Settings with { Epochs = 10, LearningRate = 0.002 }, () => new TinyNetwork(), new RecordingObserver());

        Assert.Equal(0.002, loop.LearningRate(1), 12);
        Assert.Equal(0.001, loop.LearningRate(6), 12); // halfway: cos(pi/2) = 0
        Assert.Equal(0.002 * (1 + Math.Cos(Math.PI * 0.9)) / 2, loop.LearningRate(10), 12);
        Assert.All(Enumerable.Range(1, 10), epoch => Assert.Equal(0.002, constant.LearningRate(epoch)));
    }

    [Fact]
    public void Logged_learning_rates_follow_the_schedule()
    {
        var result = Train(train, validation, Settings with { CosineSchedule = true });
        using var network = result.Network;

        Assert.Equal([0.05, 0.05 * (1 + Math.Cos(Math.PI / 4)) / 2, 0.025, 0.05 * (1 + Math.Cos(3 * Math.PI / 4)) / 2],
            result.History.Select(epoch => epoch.LearningRate), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void A_fixed_schedule_keeps_the_last_epoch_even_when_validation_liked_an_earlier_one()
    {
        // Validation labels opposite to training's: the best validation epoch is an early one.
        var contrary = SyntheticPixels.Make(40, seed: 2, invertLabels: true);
        var settings = Settings with { Epochs = 5, KeepBestEpoch = false };
        var checkpoint = new TrainingCheckpoint(directory);

        var result = Train(train, contrary, settings, checkpoint: checkpoint);
        using var network = result.Network;

        Assert.Equal(5, result.BestEpoch);
        var logits = NetworkInference.Logits(network, contrary.Images, 16);
        Assert.Equal(result.History[^1].ValidationLoss!.Value, TrainingLoop.LossAndAccuracy(logits, contrary.Labels, 0.5).Loss, 1e-6);
        Assert.True(result.History.Min(epoch => epoch.ValidationLoss!.Value) < result.History[^1].ValidationLoss!.Value);
        // Nothing to keep but the last weights: the checkpoint holds no second copy of them.
        var keepingBest = new TrainingCheckpoint(Directory.CreateDirectory(Path.Combine(directory, "best")).FullName);
        using (Train(train, contrary, settings with { KeepBestEpoch = true }, checkpoint: keepingBest).Network)
        {
        }
        // (Give or take the digits of the epochs' timings in the JSON state.)
        var weights = TrainedModel.SerializeWeights(network).Length;
        Assert.InRange(new FileInfo(keepingBest.Path).Length - new FileInfo(checkpoint.Path).Length, weights - 32, weights + 32);
    }

    [Fact]
    public void With_a_weight_average_the_model_is_the_average_and_validation_scores_it()
    {
        var settings = Settings with { Epochs = 3, EmaDecay = 0.9, KeepBestEpoch = false };

        var averaged = Train(train, validation, settings);
        var plain = Train(train, validation, settings with { EmaDecay = 0 });
        using (averaged.Network)
        using (plain.Network)
        {
            // The same steps were taken (same seeds); only the kept weights differ.
            Assert.Equal(plain.History.Select(epoch => epoch.TrainLoss), averaged.History.Select(epoch => epoch.TrainLoss));
            Assert.NotEqual(TrainedModel.SerializeWeights(plain.Network), TrainedModel.SerializeWeights(averaged.Network));
            averaged.Network.eval();
            var logits = NetworkInference.Logits(averaged.Network, validation.Images, 16);
            Assert.Equal(averaged.History[^1].ValidationLoss!.Value, TrainingLoop.LossAndAccuracy(logits, validation.Labels, 0.5).Loss, 1e-6);
        }
    }

    [Fact]
    public void A_run_with_a_weight_average_resumes_to_the_uninterrupted_result()
    {
        var settings = Settings with { EmaDecay = 0.8 };
        var uninterrupted = Train(train, validation, settings);
        var checkpoint = new TrainingCheckpoint(directory);
        using var cancellation = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Train(train, validation, settings, checkpoint: checkpoint, cancellation: cancellation.Token,
            observer: new RecordingObserver { AfterEpoch = epoch => { if (epoch.Epoch == 2) cancellation.Cancel(); } }));

        var resumed = Train(train, validation, settings, checkpoint: checkpoint);
        using (uninterrupted.Network)
        using (resumed.Network)
        {
            Assert.Equal(WithoutTimes(uninterrupted.History), WithoutTimes(resumed.History));
            Assert.Equal(TrainedModel.SerializeWeights(uninterrupted.Network), TrainedModel.SerializeWeights(resumed.Network));
        }
    }

    [Fact]
    public void Label_smoothing_and_mixup_still_learn_the_classes()
    {
        var observer = new RecordingObserver();
        using var trained = Train(train, validation, Settings with { Epochs = 6, LabelSmoothing = 0.1, Mixup = 0.4 }, observer).Network;

        Assert.True(observer.Epochs.Max(epoch => epoch.ValidationAccuracy!.Value) >= 0.85);
    }

    private static IEnumerable<EpochMetrics> WithoutTimes(IEnumerable<EpochMetrics> history) => history.Select(epoch => epoch with { Seconds = 0 });

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
