using System.Net;
using System.Net.Http.Json;
using EmotionApi.Learning.IO;
using EmotionApi.Learning.Training;
using EmotionApi.Models;
using EmotionApi.RunResults;
using EmotionApi.Shared;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmotionApi.Tests.Training;

/// <summary>
/// The service restarted on the same data folder: Hangfire's embedded storage is gone, the job records
/// are not. Two hosts share one folder; the first is stopped before the second starts.
/// </summary>
public class TrainingJobRestartTests
{
    [Fact]
    public async Task After_a_restart_finished_jobs_keep_their_results_and_a_job_left_running_by_a_killed_process_is_run_again()
    {
        var first = new EmotionApiFactory { Settings = TrainingTestKit.HostSettings() };
        EmotionApiFactory? second = null;
        try
        {
            using var firstClient = first.CreateClient();
            var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(firstClient, count: 200);
            var finished = await TrainingTestKit.TrainToSuccessAsync(firstClient, new { datasetId, preset = "tiny", epochs = 2 });
            var evaluationBefore = await firstClient.GetStringAsync($"/api/training-jobs/{finished.Id}/evaluation");
            await StopAsync(first);

            // What a killed process leaves: a record that says running, and nothing in any job storage.
            var orphan = TrainingJob.Queue("0rphan0job01", datasetId, TrainingPresets.Get("tiny") with { Epochs = 2 }, DateTimeOffset.UtcNow)
                .Dispatched("1", TrainingJobStages.Queued)
                .Start(DateTimeOffset.UtcNow);
            AtomicFile.WriteJson(Path.Combine(first.DataPath, "jobs", orphan.Id, "job.json"), orphan, RecordJson.Options);

            second = new EmotionApiFactory { DataPath = first.DataPath, Settings = TrainingTestKit.HostSettings() };
            using var client = second.CreateClient();

            var reread = await TrainingTestKit.GetJobAsync(client, finished.Id);
            Assert.Equal(TrainingJobState.Succeeded, reread.State);
            Assert.Equal(finished.ModelId, reread.ModelId);
            Assert.Equal(evaluationBefore, await client.GetStringAsync($"/api/training-jobs/{finished.Id}/evaluation"));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/models/{finished.ModelId}")).StatusCode);

            var resumed = await TrainingTestKit.WaitUntilFinishedAsync(client, orphan.Id, TimeSpan.FromMinutes(2));
            Assert.Equal(TrainingJobState.Succeeded, resumed.State);
            Assert.Equal(2, resumed.Runs);
            Assert.Equal(orphan.Id, resumed.ModelId);
            var models = (await client.GetFromJsonAsync<ModelSummary[]>("/api/models", TrainingTestKit.Json))!;
            Assert.Equal(new[] { orphan.Id, finished.Id }, models.Select(model => model.Id));
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_job_interrupted_by_a_shutdown_is_queued_again_on_the_next_start_and_resumes_from_its_checkpoint()
    {
        var first = new EmotionApiFactory { Settings = TrainingTestKit.HostSettings() };
        EmotionApiFactory? second = null;
        try
        {
            using var firstClient = first.CreateClient();
            var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(firstClient, count: 200);
            var queued = await TrainingTestKit.QueueJobAsync(firstClient, new { datasetId, preset = "tiny", epochs = 1000 });
            var beforeStop = await TrainingTestKit.WaitForJobAsync(firstClient, queued.Id,
                job => job.LatestEpoch is { Epoch: >= 2 }, TimeSpan.FromMinutes(1));

            await StopAsync(first);

            var record = AtomicFile.ReadJson<TrainingJob>(Path.Combine(first.DataPath, "jobs", queued.Id, "job.json"), RecordJson.Options)!;
            Assert.Equal(TrainingJobState.Queued, record.State);
            Assert.Contains("interrupted", record.Stage);
            Assert.True(record.History.Count >= beforeStop.LatestEpoch!.Epoch);
            Assert.True(Directory.Exists(Path.Combine(first.DataPath, "jobs", queued.Id, "checkpoint")));

            second = new EmotionApiFactory { DataPath = first.DataPath, Settings = TrainingTestKit.HostSettings() };
            using var client = second.CreateClient();
            var resumed = await TrainingTestKit.WaitForJobAsync(client, queued.Id,
                job => job.State == TrainingJobState.Running && job.Runs == 2 && job.LatestEpoch!.Epoch > record.History.Count,
                TimeSpan.FromMinutes(1));
            var history = (await client.GetFromJsonAsync<TrainingHistoryView>($"/api/training-jobs/{queued.Id}/history", TrainingTestKit.Json))!;
            // Resumed, not restarted: the epochs of the first run are kept and numbering goes on.
            Assert.Equal(Enumerable.Range(1, history.Epochs.Count), history.Epochs.Select(epoch => epoch.Epoch));
            Assert.True(resumed.LatestEpoch!.Epoch > record.History.Count);

            await client.PostAsync($"/api/training-jobs/{queued.Id}/cancel", null);
            var cancelled = await TrainingTestKit.WaitUntilFinishedAsync(client, queued.Id, TimeSpan.FromSeconds(30));
            Assert.Equal(TrainingJobState.Cancelled, cancelled.State);
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    /// <summary>Stops the host the way a process stops (SIGTERM): hosted services, Hangfire's server included, shut down.</summary>
    private static async Task StopAsync(EmotionApiFactory factory)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await factory.Services.GetRequiredService<IHost>().StopAsync(timeout.Token);
    }
}
