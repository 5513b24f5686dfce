using System.Net;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Training;

namespace EmotionApi.Tests.Training;

[Collection(TrainedServiceCollection.Name)]
public class TrainingJobCancellationTests(TrainedServiceFixture service)
{
    private HttpClient Client => service.Client;

    /// <summary>A run far longer than any test: it only ends by cancellation.</summary>
    private object LongJob => new { datasetId = service.DatasetId, preset = "tiny", epochs = 1000 };

    [Fact]
    public async Task Cancelling_a_running_job_stops_it_at_its_next_batch_and_leaves_no_model_or_checkpoint()
    {
        var queued = await TrainingTestKit.QueueJobAsync(Client, LongJob);
        await TrainingTestKit.WaitForJobAsync(Client, queued.Id,
            job => job.State == TrainingJobState.Running && job.LatestEpoch is not null,
            TimeSpan.FromMinutes(1));
        Assert.True(Directory.Exists(CheckpointOf(queued.Id)), "A running job keeps a checkpoint per epoch");

        var response = await Client.PostAsync($"/api/training-jobs/{queued.Id}/cancel", null);
        var epochsWhenCancelled = (await TrainingTestKit.GetJobAsync(Client, queued.Id)).LatestEpoch!.Epoch;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // Wall time is no measure on a loaded machine (an epoch may take seconds); epochs are: the run stops a few epochs
        // on, not at the end of its 1,000. The runner looks for the cancel marker once a second
        // (TrainingJobs:CancellationCheckSeconds) and this fixture's epochs take a fraction of one, so a few may end in
        // between. The timeout only guards against a hang.
        var cancelled = await TrainingTestKit.WaitForJobAsync(Client, queued.Id, job => job.State == TrainingJobState.Cancelled, TimeSpan.FromMinutes(1));

        Assert.InRange(cancelled.LatestEpoch!.Epoch, epochsWhenCancelled, epochsWhenCancelled + 10);
        Assert.True(cancelled.CancelRequested);
        Assert.Null(cancelled.ModelId);
        Assert.NotNull(cancelled.FinishedAt);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/models/{queued.Id}")).StatusCode);
        Assert.False(Directory.Exists(CheckpointOf(queued.Id)));
        Assert.False(Directory.Exists(Path.Combine(service.Factory.DataPath, "models", queued.Id)));
        await (await Client.GetAsync($"/api/training-jobs/{queued.Id}/roc")).AssertProblemAsync(HttpStatusCode.Conflict,
            "No ROC curve yet", $"Training job '{queued.Id}' is cancelled: it has no ROC curve. Only a succeeded job is evaluated.");
    }

    [Fact]
    public async Task Deleting_a_queued_job_cancels_it_at_once_then_a_second_delete_removes_its_record()
    {
        // One training worker: the second job waits behind the first.
        var running = await TrainingTestKit.QueueJobAsync(Client, LongJob);
        var waiting = await TrainingTestKit.QueueJobAsync(Client, LongJob);
        try
        {
            await TrainingTestKit.WaitForJobAsync(Client, running.Id, job => job.State == TrainingJobState.Running, TimeSpan.FromMinutes(1));
            Assert.Equal(TrainingJobState.Queued, (await TrainingTestKit.GetJobAsync(Client, waiting.Id)).State);
            await (await Client.GetAsync($"/api/training-jobs/{waiting.Id}/evaluation")).AssertProblemAsync(HttpStatusCode.Conflict,
                "No evaluation yet", $"Training job '{waiting.Id}' is queued: its evaluation is made when it succeeds.");

            var response = await Client.DeleteAsync($"/api/training-jobs/{waiting.Id}");

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var cancelled = await TrainingTestKit.GetJobAsync(Client, waiting.Id);
            Assert.Equal(TrainingJobState.Cancelled, cancelled.State);
            Assert.Null(cancelled.StartedAt);
            await (await Client.PostAsync($"/api/training-jobs/{waiting.Id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict,
                "Job already finished", $"Training job '{waiting.Id}' is cancelled: there is nothing to cancel.");

            Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/training-jobs/{waiting.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/training-jobs/{waiting.Id}")).StatusCode);
            Assert.False(Directory.Exists(Path.Combine(service.Factory.DataPath, "jobs", waiting.Id)));
        }
        finally
        {
            await Client.PostAsync($"/api/training-jobs/{running.Id}/cancel", null);
            var ended = await TrainingTestKit.WaitUntilFinishedAsync(Client, running.Id, TimeSpan.FromSeconds(30));
            Assert.Equal(TrainingJobState.Cancelled, ended.State);
        }
    }

    [Fact]
    public async Task A_dataset_used_by_an_unfinished_job_cannot_be_deleted_until_the_job_ends()
    {
        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(Client, count: 60, seed: 77, side: 32);
        var job = await TrainingTestKit.QueueJobAsync(Client, new { datasetId, preset = "tiny", epochs = 1000 });

        await (await Client.DeleteAsync($"/api/datasets/{datasetId}")).AssertProblemAsync(HttpStatusCode.Conflict, "Dataset in use",
            $"Training job '{job.Id}' (", $"uses dataset '{datasetId}': cancel it");
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/datasets/{datasetId}")).StatusCode);

        await Client.PostAsync($"/api/training-jobs/{job.Id}/cancel", null);
        var ended = await TrainingTestKit.WaitUntilFinishedAsync(Client, job.Id, TimeSpan.FromSeconds(60));
        Assert.Equal(TrainingJobState.Cancelled, ended.State);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/datasets/{datasetId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/datasets/{datasetId}")).StatusCode);
    }

    private string CheckpointOf(string jobId) => Path.Combine(service.Factory.DataPath, "jobs", jobId, "checkpoint");
}
