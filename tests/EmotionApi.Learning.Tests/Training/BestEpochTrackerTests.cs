using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;
using TorchSharp;

namespace EmotionApi.Learning.Tests.Training;

public sealed class BestEpochTrackerTests
{
    [Fact]
    public void With_a_validation_part_the_lowest_loss_wins_and_patience_epochs_without_a_lower_one_stop_the_run()
    {
        using var network = new TinyNetwork();
        var tracker = new BestEpochTracker(monitorIsValidation: true, keepBest: true, patience: 2);

        tracker.Update(1, 0.50, network);
        tracker.Update(2, 0.40, network);
        var bestWeights = tracker.BestWeights;
        tracker.Update(3, 0.40, network); // equal is not better
        Assert.False(tracker.Stopped);
        tracker.Update(4, 0.45, network);

        Assert.True(tracker.Stopped);
        Assert.Equal(2, tracker.BestEpoch);
        Assert.Equal(0.40, tracker.BestLoss);
        Assert.Same(bestWeights, tracker.BestWeights);
    }

    [Fact]
    public void The_kept_weights_are_the_best_epochs_not_the_last()
    {
        using var network = new TinyNetwork();
        var tracker = new BestEpochTracker(monitorIsValidation: true, keepBest: true, patience: 0);
        tracker.Update(1, 0.3, network);
        var best = TrainedModel.SerializeWeights(network);
        using (torch.no_grad())
            foreach (var parameter in network.parameters()) parameter.add_(1);
        tracker.Update(2, 0.9, network);

        Assert.True(tracker.TryRestoreBest(network, out var epoch));
        Assert.Equal(1, epoch);
        Assert.Equal(best, TrainedModel.SerializeWeights(network));
        Assert.False(tracker.Stopped); // patience 0: never stop early
    }

    [Fact]
    public void Without_a_finite_validation_loss_the_last_epoch_is_kept()
    {
        using var network = new TinyNetwork();
        var tracker = new BestEpochTracker(monitorIsValidation: true, keepBest: true, patience: 0);
        tracker.Update(1, double.NaN, network);
        tracker.Update(2, null, network);

        Assert.Equal(0, tracker.BestEpoch);
        Assert.Null(tracker.BestWeights);
        Assert.False(tracker.TryRestoreBest(network, out _));
    }

    [Fact]
    public void A_monitored_test_set_only_reports_so_the_last_epoch_is_kept_and_nothing_stops()
    {
        using var network = new TinyNetwork();
        var tracker = new BestEpochTracker(monitorIsValidation: false, keepBest: false, patience: 1);
        tracker.Update(1, 0.2, network);
        tracker.Update(2, 0.9, network);
        tracker.Update(3, 1.5, network);

        Assert.False(tracker.Stopped);
        Assert.Equal(3, tracker.BestEpoch);
        Assert.Null(tracker.BestWeights);
        Assert.False(tracker.TryRestoreBest(network, out _));
    }

    [Fact]
    public void A_fixed_schedule_weighs_epochs_and_stops_early_but_keeps_no_weights_and_restores_nothing()
    {
        using var network = new TinyNetwork();
        var tracker = new BestEpochTracker(monitorIsValidation: true, keepBest: false, patience: 1);
        tracker.Update(1, 0.3, network);
        var last = TrainedModel.SerializeWeights(network);
        tracker.Update(2, 0.9, network);

        Assert.Equal(1, tracker.BestEpoch);
        Assert.True(tracker.Stopped);
        // A checkpoint of a fixed-schedule run carries no second copy of the weights.
        Assert.Null(tracker.BestWeights);
        Assert.False(tracker.TryRestoreBest(network, out _));
        Assert.Equal(last, TrainedModel.SerializeWeights(network));
    }
}
