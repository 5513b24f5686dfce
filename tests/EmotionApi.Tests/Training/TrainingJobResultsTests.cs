using System.Net;
using System.Net.Http.Json;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;
using EmotionApi.RunResults;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Training;

namespace EmotionApi.Tests.Training;

[Collection(TrainedServiceCollection.Name)]
public class TrainingJobResultsTests(TrainedServiceFixture service)
{
    private HttpClient Client => service.Client;

    [Fact]
    public async Task Succeeded_job_shows_its_model_full_settings_and_finished_progress()
    {
        var job = await TrainingTestKit.GetJobAsync(Client, service.Job.Id);

        Assert.Equal(TrainingJobState.Succeeded, job.State);
        Assert.Equal(service.DatasetId, job.DatasetId);
        Assert.Equal(job.Id, job.ModelId);
        Assert.Null(job.Error);
        Assert.Equal(1, job.Runs);
        Assert.Equal(TrainingPresets.Get("tiny"), job.Settings);
        Assert.Equal("tiny", job.Settings.Preset);
        Assert.Equal(TrainedServiceFixture.Epochs, job.Settings.Epochs);
        Assert.Equal(32, job.Settings.ImageHeight);
        Assert.NotNull(job.Progress);
        Assert.Equal(100, job.Progress!.Percent);
        Assert.Equal(TrainedServiceFixture.Epochs, job.Progress.Epochs);
        Assert.Equal(TrainedServiceFixture.Epochs, job.LatestEpoch!.Epoch);
        Assert.True(job.CreatedAt <= job.StartedAt && job.StartedAt <= job.FinishedAt);
        Assert.InRange(job.TestAccuracy!.Value, 0.5, 1);
        Assert.Equal($"/api/models/{job.ModelId}", job.Links.Model);
    }

    [Fact]
    public async Task The_evaluation_carries_its_intervals_its_p_value_and_its_leakage()
    {
        var evaluation = (await Client.GetFromJsonAsync<EvaluationView>($"/api/training-jobs/{service.Job.Id}/evaluation", TrainingTestKit.Json))!;

        var correct = evaluation.ConfusionMatrix.Counts[0][0] + evaluation.ConfusionMatrix.Counts[1][1];
        Assert.Equal(ConfidenceIntervals.Wilson(correct, evaluation.TestSize), evaluation.AccuracyInterval);
        Assert.InRange(evaluation.Accuracy, evaluation.AccuracyInterval!.Lower, evaluation.AccuracyInterval.Upper);
        Assert.Equal(("delong", 0.95), (evaluation.RocAucInterval!.Method, evaluation.RocAucInterval.Level));
        Assert.InRange(evaluation.RocAuc, evaluation.RocAucInterval.Lower, evaluation.RocAucInterval.Upper);
        Assert.Equal(BinomialTest.UpperTailPValue(correct, evaluation.TestSize, evaluation.NaiveBaselineAccuracy), evaluation.AccuracyPValue);
        // The tiny preset keeps near duplicates on one side of the split.
        Assert.True(service.Job.Settings.GroupDuplicates);
        Assert.Equal(0, evaluation.TestImagesWithNearDuplicateInTraining);
    }

    [Fact]
    public async Task History_has_one_entry_per_epoch_run_in_order()
    {
        var history = (await Client.GetFromJsonAsync<TrainingHistoryView>($"/api/training-jobs/{service.Job.Id}/history", TrainingTestKit.Json))!;

        // The tiny preset has no early stopping: every requested epoch runs.
        Assert.Equal(Enumerable.Range(1, TrainedServiceFixture.Epochs), history.Epochs.Select(epoch => epoch.Epoch));
        Assert.InRange(history.BestEpoch!.Value, 1, TrainedServiceFixture.Epochs);
        Assert.All(history.Epochs, epoch =>
        {
            Assert.True(double.IsFinite(epoch.TrainLoss) && epoch.TrainLoss > 0);
            Assert.InRange(epoch.TrainAccuracy, 0, 1);
            Assert.NotNull(epoch.ValidationLoss);
            Assert.True(epoch.Seconds > 0);
        });
        // It learned something: the last epoch's training loss is below the first's.
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss,
            $"Training loss went from {history.Epochs[0].TrainLoss} to {history.Epochs[^1].TrainLoss}");
    }

    [Fact]
    public async Task Evaluation_confusion_matrix_adds_up_to_the_article_s_test_split()
    {
        var evaluation = (await Client.GetFromJsonAsync<EvaluationView>($"/api/training-jobs/{service.Job.Id}/evaluation", TrainingTestKit.Json))!;
        var counts = await TrainingTestKit.ClassCountsAsync(Client, service.DatasetId);

        // floor(n x 0.2) images of each class (the article's split rule).
        var expectedTestSize = counts.Values.Sum(count => (int)Math.Floor(count * 0.2));
        Assert.Equal(expectedTestSize, evaluation.TestSize);
        Assert.Equal(evaluation.TestSize, evaluation.ConfusionMatrix.Counts.Sum(row => row.Sum()));
        Assert.Equal(new[] { "Negative", "Positive" }, evaluation.ConfusionMatrix.Classes);
        for (var trueClass = 0; trueClass < 2; trueClass++)
        {
            var label = (EmotionClass)trueClass;
            Assert.Equal((int)Math.Floor(counts[label] * 0.2), evaluation.ConfusionMatrix.Counts[trueClass].Sum());
            Assert.Equal(1.0, evaluation.ConfusionMatrix.NormalizedByTrueClass[trueClass].Sum(), 6);
            Assert.Equal(evaluation.ConfusionMatrix.Counts[trueClass].Sum(), evaluation.Classes[trueClass].Support);
        }
        var correct = evaluation.ConfusionMatrix.Counts[0][0] + evaluation.ConfusionMatrix.Counts[1][1];
        Assert.Equal((double)correct / evaluation.TestSize, evaluation.Accuracy, 9);
        Assert.Equal(0.5, evaluation.Threshold);
        Assert.InRange(evaluation.NaiveBaselineAccuracy, 0.5, 0.6);
        Assert.True(evaluation.Accuracy > evaluation.NaiveBaselineAccuracy,
            $"Accuracy {evaluation.Accuracy} does not beat the naive baseline {evaluation.NaiveBaselineAccuracy}");
    }

    [Fact]
    public async Task Roc_curve_is_monotone_from_origin_to_one_one_with_an_auc_well_above_chance()
    {
        var roc = (await Client.GetFromJsonAsync<RocView>($"/api/training-jobs/{service.Job.Id}/roc", TrainingTestKit.Json))!;

        Assert.Equal((0.0, 0.0), (roc.Points[0].FalsePositiveRate, roc.Points[0].TruePositiveRate));
        Assert.True(double.IsPositiveInfinity(roc.Points[0].Threshold));
        Assert.Equal((1.0, 1.0), (roc.Points[^1].FalsePositiveRate, roc.Points[^1].TruePositiveRate));
        for (var i = 1; i < roc.Points.Count; i++)
        {
            Assert.True(roc.Points[i].FalsePositiveRate >= roc.Points[i - 1].FalsePositiveRate);
            Assert.True(roc.Points[i].TruePositiveRate >= roc.Points[i - 1].TruePositiveRate);
            Assert.True(roc.Points[i].Threshold < roc.Points[i - 1].Threshold);
        }
        Assert.True(roc.Auc >= 0.8, $"AUC {roc.Auc} on the sample data");
        Assert.Equal(service.Job.TestRocAuc, roc.Auc);
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first()
    {
        var second = await TrainingTestKit.TrainToSuccessAsync(Client, new { datasetId = service.DatasetId, preset = "tiny", epochs = 1 });

        var jobs = (await Client.GetFromJsonAsync<TrainingJobView[]>("/api/training-jobs", TrainingTestKit.Json))!;
        var order = jobs.Select(job => job.Id).ToList();
        Assert.True(order.IndexOf(second.Id) < order.IndexOf(service.Job.Id));
        Assert.Equal(jobs.OrderByDescending(job => job.CreatedAt).Select(job => job.Id), order);

        // Tidy up: the other tests of this host expect the fixture's model to be the only one.
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/models/{second.ModelId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/training-jobs/{second.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/training-jobs/{second.Id}")).StatusCode);
    }

    [Fact]
    public async Task Unknown_job_answers_404_problem_on_every_route()
    {
        const string unknown = "There is no training job with id '0123456789ab'.";
        foreach (var path in new[] { "", "/history", "/evaluation", "/roc" })
            await (await Client.GetAsync($"/api/training-jobs/0123456789ab{path}")).AssertProblemAsync(HttpStatusCode.NotFound, "Training job not found", unknown);
        await (await Client.PostAsync("/api/training-jobs/0123456789ab/cancel", null)).AssertProblemAsync(HttpStatusCode.NotFound, "Training job not found", unknown);
        await (await Client.DeleteAsync("/api/training-jobs/0123456789ab")).AssertProblemAsync(HttpStatusCode.NotFound, "Training job not found", unknown);
        // Not an id at all (it never becomes a path).
        await (await Client.GetAsync("/api/training-jobs/..%2F..%2Fetc")).AssertProblemAsync(HttpStatusCode.NotFound, "Training job not found");
    }
}
