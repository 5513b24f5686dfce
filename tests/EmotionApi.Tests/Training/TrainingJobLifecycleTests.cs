using System.Text.Json;
using System.Text.Json.Nodes;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;
using EmotionApi.Shared;
using EmotionApi.Training;

namespace EmotionApi.Tests.Training;

/// <summary>What may follow what in a job's life, decided by the record itself; and records of the previous version.</summary>
public class TrainingJobLifecycleTests
{
    private static readonly DateTimeOffset Created = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Created.AddMinutes(7);
    private static readonly TrainingSettings Settings = TrainingPresets.Get(TrainingPresets.Tiny);

    private static TrainingJob NewJob() => TrainingJob.Queue("0123456789ab", "dataset-1", Settings, Created);

    private static TrainingJob Running() => NewJob().Dispatched("7", TrainingJobStages.Queued).Start(Later);

    private static readonly TrainingJobProgress HalfWay = new(1, 2, 3, 6, 25, 4.5, 13.5);

    [Fact]
    public void A_new_job_is_queued_with_its_settings_and_nothing_run()
    {
        var job = NewJob();

        Assert.Equal((TrainingJobState.Queued, TrainingJobStages.Queued), (job.State, job.Stage));
        Assert.Equal(("0123456789ab", "dataset-1", Created), (job.Id, job.DatasetId, job.CreatedAt));
        Assert.Same(Settings, job.Settings);
        Assert.Equal(0, job.Runs);
        Assert.Null(job.StartedAt);
        Assert.False(job.IsFinished);
    }

    [Fact]
    public void Dispatching_records_the_execution_and_the_stage_only_while_queued()
    {
        var queued = NewJob().Dispatched("41", "queued again after a restart");
        Assert.Equal(("41", "queued again after a restart", TrainingJobState.Queued), (queued.ExecutionId, queued.Stage, queued.State));

        // The worker was quicker than the record: it keeps its own stage.
        var running = NewJob().Start(Later).Dispatched("42", TrainingJobStages.Queued);
        Assert.Equal(("42", TrainingJobStages.Starting, TrainingJobState.Running), (running.ExecutionId, running.Stage, running.State));
    }

    [Fact]
    public void Starting_makes_it_running_counts_the_run_and_clears_an_earlier_error()
    {
        var job = Running();

        Assert.Equal((TrainingJobState.Running, TrainingJobStages.Starting, 1, Later), (job.State, job.Stage, job.Runs, job.StartedAt));
        Assert.Null(job.Error);
        // Taken over by another worker after its execution died: running again, a second run.
        var takenOver = job.Start(Later.AddMinutes(1));
        Assert.Equal((TrainingJobState.Running, 2, Later.AddMinutes(1)), (takenOver.State, takenOver.Runs, takenOver.StartedAt));
    }

    [Fact]
    public void A_running_job_records_stages_progress_and_epochs_and_a_replayed_epoch_replaces_the_later_ones()
    {
        var job = Running().AtStage(TrainingPipeline.TrainingStage).WithProgress(HalfWay)
            .WithEpoch(Epoch(1), null).WithEpoch(Epoch(2), null).WithEpoch(Epoch(3), HalfWay with { Epoch = 3 });

        Assert.Equal(TrainingPipeline.TrainingStage, job.Stage);
        Assert.Equal([1, 2, 3], job.History.Select(epoch => epoch.Epoch));
        Assert.Equal(3, job.Progress!.Epoch);

        // A run resumed from the checkpoint of epoch 1 reports epoch 2 again.
        var resumed = job.WithEpoch(Epoch(2) with { TrainLoss = 0.25 }, null);
        Assert.Equal([1, 2], resumed.History.Select(epoch => epoch.Epoch));
        Assert.Equal(0.25, resumed.LatestEpoch!.TrainLoss);
        Assert.Equal(3, resumed.Progress!.Epoch); // no new progress given: the last one stays
    }

    [Fact]
    public void A_stopped_run_is_queued_again_with_why_and_keeps_its_history()
    {
        var job = Running().WithEpoch(Epoch(1), HalfWay).Requeue(TrainingJobStages.InterruptedByShutdown);

        Assert.Equal((TrainingJobState.Queued, TrainingJobStages.InterruptedByShutdown), (job.State, job.Stage));
        Assert.Single(job.History);
        Assert.False(job.IsFinished);
        Assert.Equal(2, job.Start(Later).Runs);
    }

    [Fact]
    public void Success_keeps_the_results_the_model_and_a_finished_progress()
    {
        var outcome = Outcome();

        var job = Running().WithProgress(HalfWay).Succeed(outcome, "0123456789ab", Later.AddMinutes(2));

        Assert.Equal((TrainingJobState.Succeeded, TrainingJobStages.Succeeded), (job.State, job.Stage));
        Assert.True(job.IsFinished);
        Assert.Equal("0123456789ab", job.ModelId);
        Assert.Same(outcome.History, job.History);
        Assert.Equal((outcome.BestEpoch, outcome.Seconds), (job.BestEpoch, job.TrainingSeconds));
        Assert.Same(outcome.Test, job.Evaluation);
        Assert.Equal((100, 0.0), (job.Progress!.Percent, job.Progress.EstimatedSecondsLeft));
        Assert.Equal(Later.AddMinutes(2), job.FinishedAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_failure_says_why_and_drops_the_time_estimate(bool started)
    {
        var before = started ? Running().WithProgress(HalfWay) : NewJob();

        var job = before.Fail("Dataset 'x' no longer exists.", Later);

        Assert.Equal((TrainingJobState.Failed, TrainingJobStages.Failed, "Dataset 'x' no longer exists."), (job.State, job.Stage, job.Error));
        Assert.Equal(Later, job.FinishedAt);
        Assert.Null(job.Progress?.EstimatedSecondsLeft);
        Assert.Equal(started ? 25 : null, job.Progress?.Percent);
    }

    [Fact]
    public void Cancelling_a_queued_job_ends_it_at_once()
    {
        var job = NewJob().RequestCancellation(Later);

        Assert.Equal((TrainingJobState.Cancelled, TrainingJobStages.CancelledBeforeStart), (job.State, job.Stage));
        Assert.True(job.CancelRequested);
        Assert.Equal(Later, job.FinishedAt);
        Assert.Null(job.StartedAt);
    }

    [Fact]
    public void Cancelling_a_running_job_marks_it_and_its_worker_ends_it()
    {
        var asked = Running().WithProgress(HalfWay).RequestCancellation(Later);
        Assert.Equal((TrainingJobState.Running, TrainingJobStages.Cancelling, true), (asked.State, asked.Stage, asked.CancelRequested));
        Assert.Null(asked.FinishedAt);

        var cancelled = asked.Cancel(Later.AddSeconds(2));
        Assert.Equal((TrainingJobState.Cancelled, TrainingJobStages.Cancelled), (cancelled.State, cancelled.Stage));
        Assert.Equal(Later.AddSeconds(2), cancelled.FinishedAt);
        Assert.Null(cancelled.Progress!.EstimatedSecondsLeft);
    }

    public static TheoryData<string, Func<TrainingJob, TrainingJob>> Transitions() => new()
    {
        { "start", job => job.Start(Later) },
        { "requeue", job => job.Requeue(TrainingJobStages.InterruptedByShutdown) },
        { "request cancellation", job => job.RequestCancellation(Later) },
        { "cancel", job => job.Cancel(Later) },
        { "fail", job => job.Fail("no", Later) },
        { "succeed", job => job.Succeed(Outcome(), "m", Later) },
        { "change stage", job => job.AtStage(TrainingPipeline.EvaluatingStage) },
        { "record progress", job => job.WithProgress(HalfWay) },
        { "record an epoch", job => job.WithEpoch(Epoch(1), null) },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void A_finished_job_refuses_every_change_of_its_life(string name, Func<TrainingJob, TrainingJob> change)
    {
        foreach (var finished in new[] { Running().Succeed(Outcome(), "m", Later), NewJob().Fail("no", Later), NewJob().Cancel(Later) })
        {
            var error = Assert.Throws<InvalidOperationException>(() => change(finished));
            Assert.Contains($"Training job '0123456789ab' is {finished.State.ToString().ToLowerInvariant()}", error.Message);
        }
        Assert.NotEmpty(name);
    }

    [Fact]
    public void A_queued_job_cannot_succeed_nor_take_progress_before_it_runs()
    {
        Assert.Contains("it cannot become succeeded", Assert.Throws<InvalidOperationException>(() => NewJob().Succeed(Outcome(), "m", Later)).Message);
        Assert.Contains("only a running job can record progress", Assert.Throws<InvalidOperationException>(() => NewJob().WithProgress(HalfWay)).Message);
        Assert.Contains("only a running job can change its stage", Assert.Throws<InvalidOperationException>(() => NewJob().AtStage("x")).Message);
    }

    [Fact]
    public void The_state_machine_allows_exactly_the_documented_moves()
    {
        var allowed = new Dictionary<TrainingJobState, TrainingJobState[]>
        {
            [TrainingJobState.Queued] = [TrainingJobState.Queued, TrainingJobState.Running, TrainingJobState.Failed, TrainingJobState.Cancelled],
            [TrainingJobState.Running] = [TrainingJobState.Queued, TrainingJobState.Running, TrainingJobState.Succeeded, TrainingJobState.Failed, TrainingJobState.Cancelled],
            [TrainingJobState.Succeeded] = [],
            [TrainingJobState.Failed] = [],
            [TrainingJobState.Cancelled] = [],
        };
        var jobs = new Dictionary<TrainingJobState, TrainingJob>
        {
            [TrainingJobState.Queued] = NewJob(),
            [TrainingJobState.Running] = Running(),
            [TrainingJobState.Succeeded] = Running().Succeed(Outcome(), "m", Later),
            [TrainingJobState.Failed] = NewJob().Fail("no", Later),
            [TrainingJobState.Cancelled] = NewJob().Cancel(Later),
        };

        foreach (var (from, job) in jobs)
        foreach (var to in Enum.GetValues<TrainingJobState>())
            Assert.True(allowed[from].Contains(to) == job.CanMoveTo(to), $"{from} -> {to}");
    }

    [Theory]
    [InlineData("succeeded-job.json")]
    [InlineData("interrupted-job.json")]
    public void A_job_json_written_by_the_previous_version_loads_and_is_written_back_the_same(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Training", "PreviousVersionRecords", file));

        var job = JsonSerializer.Deserialize<TrainingJob>(text, RecordJson.Options)!;

        // Settings gained the duplicate grouping since; a record without it split image by image, as grouping off does.
        Assert.Equal((false, DuplicateFinder.DefaultNearDistance), (job.Settings.GroupDuplicates, job.Settings.NearDuplicateDistance));
        // And issue 9's settings: each missing one holds the value that meant what the record's run did.
        Assert.Equal((true, 0.0, false, 0.0, 0.0), (job.Settings.KeepBestEpoch, job.Settings.EmaDecay, job.Settings.TestTimeFlip, job.Settings.LabelSmoothing, job.Settings.Mixup));
        Assert.Equal((0, 1.0, false, false), (job.Settings.WarmupEpochs, job.Settings.BackboneLearningRateFactor, job.Settings.FreezeBackbone, job.Settings.FreezeBatchNorm));
        var written = JsonSerializer.SerializeToNode(job, RecordJson.Options)!;
        var settings = written["settings"]!.AsObject();
        Assert.True(settings.Remove("groupDuplicates") && settings.Remove("nearDuplicateDistance"));
        Assert.All((string[])["keepBestEpoch", "emaDecay", "testTimeFlip", "labelSmoothing", "mixup", "warmupEpochs", "backboneLearningRateFactor",
            "freezeBackbone", "freezeBatchNorm"], added => Assert.True(settings.Remove(added), added));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), written),
            $"Written back differently:\n{JsonSerializer.Serialize(job, RecordJson.Options)}");
        Assert.Equal("69d27c9659cc4d2abb3b0ba86bcf3df9", job.DatasetId);
        Assert.Equal("tiny", job.Settings.Preset);
        if (file.StartsWith("succeeded"))
        {
            Assert.Equal(("94dbb28d4e3a", TrainingJobState.Succeeded, "1", 1), (job.Id, job.State, job.ExecutionId, job.Runs));
            Assert.Equal([1, 2], job.History.Select(epoch => epoch.Epoch));
            Assert.Equal(job.Id, job.ModelId);
            Assert.Equal(11, job.Evaluation!.TestSize);
            Assert.Equal(100, job.Progress!.Percent);
            Assert.Throws<InvalidOperationException>(() => job.Start(Later));
        }
        else
        {
            // Left by a shutdown mid-run: queued, with the epochs done so far, ready to resume.
            Assert.Equal(("a3ebeb90b4ab", TrainingJobState.Queued, "2", 1), (job.Id, job.State, job.ExecutionId, job.Runs));
            Assert.Equal(TrainingJobStages.InterruptedByShutdown, job.Stage);
            Assert.Equal(Enumerable.Range(1, 31), job.History.Select(epoch => epoch.Epoch));
            Assert.Equal((2, TrainingJobState.Running), (job.Start(Later).Runs, job.Start(Later).State));
        }
    }

    private static EpochMetrics Epoch(int epoch) => new(epoch, 0.5, 0.75, 0.6, 0.7, 0.001, 1.5);

    private static TrainingOutcome Outcome() =>
        new(null!, [Epoch(1), Epoch(2)], 2, BinaryEvaluation.Evaluate([0, 1, 1, 0], [0.2f, 0.8f, 0.9f, 0.1f]), new SplitRecord([], [], []), 12.5,
            new ScoredImages([0, 1, 1, 0], [0.2f, 0.8f, 0.9f, 0.1f]), null);
}
