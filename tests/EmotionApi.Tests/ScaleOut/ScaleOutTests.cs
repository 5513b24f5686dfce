using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmotionApi.Models;
using EmotionApi.Prediction;
using EmotionApi.Tests.Training;
using EmotionApi.Training;

namespace EmotionApi.Tests.ScaleOut;

/// <summary>
/// An API-only node and a worker-only node, separate processes that share only PostgreSQL and the data folder:
/// the API node queues, the worker trains, and everything the worker produced is served by the API node.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public class ScaleOutTests(ITestOutputHelper log)
{
    private const int Epochs = 3;

    [Fact]
    public async Task A_job_queued_on_the_api_node_is_trained_by_the_worker_node_and_its_progress_model_and_predictions_are_served_by_the_api_node()
    {
        var clock = Stopwatch.StartNew();
        await using var deployment = new ScaleOutDeployment();
        // Started together, as `docker compose up` starts them: both prepare the same Hangfire schema.
        var starting = new[] { deployment.StartNodeAsync("api", "Api"), deployment.StartNodeAsync("worker", "Worker") };
        var nodes = await Task.WhenAll(starting);
        var (api, worker) = (nodes[0], nodes[1]);
        var started = clock.Elapsed;

        // The worker's HTTP surface is the health probes alone; the API node serves the API.
        Assert.Equal(HttpStatusCode.NotFound, (await worker.Client.GetAsync("/api/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await worker.Client.GetAsync("/swagger/v1/swagger.json")).StatusCode);
        Assert.Equal("Worker", await RolesAsync(worker));
        Assert.Equal("Api", await RolesAsync(api));
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/swagger/v1/swagger.json")).StatusCode);
        Assert.Contains("Torch ready:", worker.Output); // the worker applies torch's process settings like any node

        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(api.Client, count: 160, side: 32);
        var queued = await TrainingTestKit.QueueJobAsync(api.Client, new { datasetId, preset = "tiny", epochs = Epochs });
        var queuedAt = clock.Elapsed;

        // Progress written by the worker, read through the API node while the job runs.
        var running = await TrainingTestKit.WaitForJobAsync(api.Client, queued.Id,
            job => job.State == TrainingJobState.Running && job.Progress is not null || job.State != TrainingJobState.Queued && job.State != TrainingJobState.Running,
            TimeSpan.FromMinutes(2));
        Assert.True(running.State == TrainingJobState.Running, $"The job was never seen running with progress: {running.State}\n{deployment.Describe()}");
        Assert.Equal(Epochs, running.Progress!.Epochs);
        Assert.InRange(running.Progress.Percent, 0, 100);

        var finished = await TrainingTestKit.WaitUntilFinishedAsync(api.Client, queued.Id, TimeSpan.FromMinutes(4));
        var finishedAt = clock.Elapsed;
        Assert.True(finished.State == TrainingJobState.Succeeded, $"Job ended {finished.State}: {finished.Error}\n{deployment.Describe()}");
        Assert.Equal(1, finished.Runs);

        // The worker ran it; the API node has no training server and never started a run.
        Assert.Contains($"Job {queued.Id} started (run 1)", worker.Output);
        Assert.DoesNotContain($"Job {queued.Id} started", api.Output);

        using var history = JsonDocument.Parse(await api.Client.GetStringAsync($"/api/training-jobs/{queued.Id}/history"));
        Assert.Equal(Enumerable.Range(1, Epochs), history.RootElement.GetProperty("epochs").EnumerateArray().Select(epoch => epoch.GetProperty("epoch").GetInt32()));

        var models = (await api.Client.GetFromJsonAsync<ModelSummary[]>("/api/models", TrainingTestKit.Json))!;
        var model = Assert.Single(models);
        Assert.Equal(finished.ModelId, model.Id);
        Assert.Equal(queued.Id, model.JobId);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync($"/api/models/{model.Id}/file")).StatusCode);

        var faces = TrainingTestKit.UnseenFaces(4, side: 32);
        using var response = await api.Client.PostAsync("/api/predict", TrainingTestKit.Form(faces.Select(face => (face.FileName, face.Png))));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/api/predict answered {(int)response.StatusCode}: {text}");
        var prediction = JsonSerializer.Deserialize<PredictionResponse>(text, TrainingTestKit.Json)!;
        Assert.Equal(finished.ModelId, prediction.ModelId);
        Assert.Equal(faces.Select(face => face.FileName), prediction.Results.Select(result => result.FileName));
        Assert.All(prediction.Results, result => Assert.True(result is { Error: null, Positive: >= 0 and <= 1 }, result.Error));

        log.WriteLine($"Scale-out: nodes ready {started.TotalSeconds:F1} s, queued at {queuedAt.TotalSeconds:F1} s, " +
                      $"succeeded at {finishedAt.TotalSeconds:F1} s ({finished.Runs} run), whole test {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<string> RolesAsync(ServiceProcess node)
    {
        using var ready = JsonDocument.Parse(await node.Client.GetStringAsync("/health/ready"));
        return ready.RootElement.GetProperty("node").GetProperty("roles").GetString()!;
    }
}
